"""found-01-6: the Moore–Penrose pseudoinverse and minimum-norm least squares. Edit this file; `grader check found-01-6` tests it."""
from __future__ import annotations

import numpy as np


def default_rcond(A: np.ndarray) -> float:
    """max(m, n) · eps: NumPy's default relative cut-off for pinv and lstsq."""
    return max(A.shape) * float(np.finfo(np.float64).eps)


def pinv(A: np.ndarray, rcond: float | None = None) -> np.ndarray:
    """The Moore–Penrose pseudoinverse A⁺ = V diag(1/s) Uᵀ from the thin SVD (np.linalg.svd is fine).

    Singular values with s_i <= rcond · s_max are treated as 0 (their 1/s_i is replaced by 0);
    rcond=None means default_rcond(A). A is left unchanged; an all-zero A gives an all-zero A⁺.

    Shapes:
        A: (m, n), any float dtype
        returns: (n, m) float64

    Raises:
        ValueError: if A is not 2-D.
    """
    raise NotImplementedError("pinv: SVD, invert the singular values above the cut-off, multiply back")


def lstsq_min_norm(A: np.ndarray, b: np.ndarray, rcond: float | None = None) -> tuple[np.ndarray, int]:
    """The minimum-norm least-squares solution x = A⁺ b, and the numerical rank of A.

    Among all x minimising ‖Ax − b‖, A⁺b is the one of smallest ‖x‖. The rank counts the singular
    values with s_i > rcond · s_max (rcond=None: default_rcond(A)), the same cut-off as pinv.
    A and b are left unchanged.

    Shapes:
        A: (m, n); b: (m,) or (m, k)
        returns: x of shape (n,) or (n, k) float64, and rank an int

    Raises:
        ValueError: if A is not 2-D, or b is not (m,) or (m, k).
    """
    raise NotImplementedError("lstsq_min_norm: pinv(A, rcond) @ b, and count the kept singular values")
