"""Reference solution for found-01-6."""
from __future__ import annotations

import numpy as np


def default_rcond(A: np.ndarray) -> float:
    """max(m, n) · eps: NumPy's default relative cut-off for pinv and lstsq."""
    return max(A.shape) * float(np.finfo(np.float64).eps)


def pinv(A: np.ndarray, rcond: float | None = None) -> np.ndarray:
    A = np.asarray(A, dtype=np.float64)
    if A.ndim != 2:
        raise ValueError(f"A must be 2-D, got shape {A.shape}")
    if rcond is None:
        rcond = default_rcond(A)
    U, s, Vt = np.linalg.svd(A, full_matrices=False)
    keep = s > rcond * (s[0] if len(s) else 0.0)
    s_inv = np.zeros_like(s)
    s_inv[keep] = 1.0 / s[keep]
    return (Vt.T * s_inv) @ U.T


def lstsq_min_norm(A: np.ndarray, b: np.ndarray, rcond: float | None = None) -> tuple[np.ndarray, int]:
    A, b = np.asarray(A), np.asarray(b)
    if A.ndim != 2 or b.ndim not in (1, 2) or b.shape[0] != A.shape[0]:
        raise ValueError(f"need A (m, n) and b (m,) or (m, k), got {A.shape} and {b.shape}")
    if rcond is None:
        rcond = default_rcond(A)
    s = np.linalg.svd(A, compute_uv=False)
    rank = int(np.sum(s > rcond * (s[0] if len(s) else 0.0)))
    return pinv(A, rcond) @ b, rank
