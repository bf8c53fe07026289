"""found-01-1: matrix operations from scratch. Edit this file; `grader check found-01-1` tests it."""
from __future__ import annotations

import numpy as np


def matmul(A: np.ndarray, B: np.ndarray) -> np.ndarray:
    """The matrix product C = A B, written with loops: C[i, j] = sum_k A[i, k] * B[k, j].

    A and B share one float dtype; the result has that dtype. A and B are left unchanged.

    Shapes:
        A: (n, m)
        B: (m, p)
        returns: (n, p), dtype of A

    Raises:
        ValueError: if A or B is not 2-D, or the inner sizes differ (A.shape[1] != B.shape[0]).
    """
    raise NotImplementedError("matmul: C[i, j] = sum over k of A[i, k] * B[k, j]")


def transpose(A: np.ndarray) -> np.ndarray:
    """The transpose, T[j, i] = A[i, j], as a new array (not a view: changing it leaves A alone).

    Shapes:
        A: (n, m)
        returns: (m, n), dtype of A
    """
    raise NotImplementedError("transpose: a new (m, n) array with T[j, i] = A[i, j]")


def trace(A: np.ndarray) -> float:
    """The sum of the diagonal, A[0, 0] + A[1, 1] + ... + A[n-1, n-1], as a Python float.

    Shapes:
        A: (n, n)
        returns: a float

    Raises:
        ValueError: if A is not square.
    """
    raise NotImplementedError("trace: sum the diagonal of a square matrix")


def det(A: np.ndarray) -> float:
    """The determinant, by Gaussian elimination with partial pivoting, as a Python float.

    Reduce a float64 copy of A to upper-triangular form. At column j, swap in the row (at or below j)
    with the largest |entry| in that column; each swap flips the sign of the determinant. The
    determinant is the signed product of the pivots. When every candidate pivot of a column is
    exactly 0 the matrix is singular: return 0.0. A is left unchanged.

    Shapes:
        A: (n, n), n >= 1
        returns: a float

    Raises:
        ValueError: if A is not square.
    """
    raise NotImplementedError("det: eliminate with partial pivoting, multiply the pivots, track the sign")
