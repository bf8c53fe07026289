"""Reference solution for found-01-5."""
from __future__ import annotations

import numpy as np


def svd_via_eigh(A: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    A = np.asarray(A, dtype=np.float64)
    if A.ndim != 2:
        raise ValueError(f"A must be 2-D, got shape {A.shape}")
    m, n = A.shape
    if m < n:
        U, s, Vt = svd_via_eigh(A.T)
        return Vt.T, s, U.T
    lam, V = np.linalg.eigh(A.T @ A)
    order = np.argsort(lam)[::-1]
    lam, V = lam[order], V[:, order]
    cut = n * np.finfo(np.float64).eps * max(float(lam[0]), 0.0) if n else 0.0
    lam = np.where(lam <= cut, 0.0, lam)
    s = np.sqrt(lam)
    r = int(np.count_nonzero(s))
    U = np.zeros((m, n))
    U[:, :r] = (A @ V[:, :r]) / s[:r]
    if r < n:  # complete U with an orthonormal basis of the complement of its first r columns
        Q, _ = np.linalg.qr(np.column_stack([U[:, :r], np.eye(m)]))
        U[:, r:] = Q[:, r:n]
    return U, s, V.T


def low_rank_approx(A: np.ndarray, k: int) -> np.ndarray:
    A = np.asarray(A)
    if A.ndim != 2 or not 0 <= k <= min(A.shape):
        raise ValueError(f"need a 2-D A and 0 <= k <= min(m, n), got shape {A.shape} and k={k}")
    U, s, Vt = svd_via_eigh(A)
    return (U[:, :k] * s[:k]) @ Vt[:k]


def eckart_young_errors(s: np.ndarray, k: int) -> tuple[float, float]:
    s = np.asarray(s)
    if not 0 <= k <= len(s):
        raise ValueError(f"k must be in [0, {len(s)}], got {k}")
    tail = s[k:]
    return float(np.sqrt(np.sum(tail**2))), float(tail[0]) if len(tail) else 0.0
