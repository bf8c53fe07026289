"""Plausible wrong SVDs and Eckart–Young errors that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from svd import svd_via_eigh

_svd = svd_via_eigh  # the solution's version


def _svd_with(A: np.ndarray, *, sort: bool = True, clip: bool = True, divide: bool = True,
              complete: bool = True) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    A = np.asarray(A, dtype=np.float64)
    if A.ndim != 2:
        raise ValueError("2-D")
    m, n = A.shape
    if m < n:
        U, s, Vt = _svd_with(A.T, sort=sort, clip=clip, divide=divide, complete=complete)
        return Vt.T, s, U.T
    lam, V = np.linalg.eigh(A.T @ A)
    if sort:
        lam, V = lam[::-1], V[:, ::-1]
    if clip:
        lam = np.where(lam <= n * np.finfo(float).eps * max(float(lam.max()), 0.0), 0.0, lam)
    with np.errstate(invalid="ignore", divide="ignore"):
        s = np.sqrt(lam)
        r = int(np.count_nonzero(s)) if complete else n
        U = np.zeros((m, n))
        U[:, :r] = (A @ V[:, :r]) / s[:r] if divide else A @ V[:, :r]
    if r < n:
        Q, _ = np.linalg.qr(np.column_stack([U[:, :r], np.eye(m)]))
        U[:, r:] = Q[:, r:n]
    return U, s, V.T


@pitfall(replaces="svd_via_eigh", why="keeps eigh's ascending order: s comes out smallest first")
def svd_ascending(A: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return _svd_with(A, sort=False)


@pitfall(replaces="svd_via_eigh", why="no cut of rounding-noise eigenvalues: sqrt of -1e-16 is NaN, +1e-16 gives s = 1e-8")
def svd_no_clip(A: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return _svd_with(A, clip=False, complete=False)


@pitfall(replaces="svd_via_eigh", why="U = A V without dividing by s: the columns of U are not unit vectors")
def svd_undivided_u(A: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return _svd_with(A, divide=False)


@pitfall(replaces="svd_via_eigh", why="divides by s = 0 for the null space instead of completing U: NaN columns")
def svd_no_completion(A: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return _svd_with(A, complete=False)


@pitfall(replaces="svd_via_eigh", why="returns V where Vt belongs (eigenvectors are the columns of V, rows of Vt)")
def svd_v_not_transposed(A: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    U, s, Vt = _svd(A)
    return U, s, Vt.T


@pitfall(replaces="svd_via_eigh", why="takes the shortcut np.linalg.svd instead of building it from eigh(AᵀA)")
def svd_library(A: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    A = np.asarray(A, dtype=np.float64)
    if A.ndim != 2:
        raise ValueError("2-D")
    return np.linalg.svd(A, full_matrices=False)


@pitfall(replaces="low_rank_approx", why="keeps the k smallest singular triplets instead of the k largest")
def low_rank_smallest(A: np.ndarray, k: int) -> np.ndarray:
    A = np.asarray(A, dtype=np.float64)
    if A.ndim != 2 or not 0 <= k <= min(A.shape):
        raise ValueError("k")
    U, s, Vt = svd_via_eigh(A)
    r = len(s)
    return (U[:, r - k:] * s[r - k:]) @ Vt[r - k:]


@pitfall(replaces="low_rank_approx", why="off by one: keeps k + 1 triplets (s[:k+1])")
def low_rank_one_extra(A: np.ndarray, k: int) -> np.ndarray:
    A = np.asarray(A, dtype=np.float64)
    if A.ndim != 2 or not 0 <= k <= min(A.shape):
        raise ValueError("k")
    U, s, Vt = svd_via_eigh(A)
    return (U[:, :k + 1] * s[:k + 1]) @ Vt[:k + 1]


@pitfall(replaces="eckart_young_errors", why="Frobenius error as the plain sum of the tail, not the root of its squares")
def ey_sum_not_root(s: np.ndarray, k: int) -> tuple[float, float]:
    s = np.asarray(s, dtype=np.float64)
    if not 0 <= k <= len(s):
        raise ValueError("k")
    return float(np.sum(s[k:])), float(s[k]) if k < len(s) else 0.0


@pitfall(replaces="eckart_young_errors", why="spectral error s[k-1], the last kept value, instead of s[k], the first dropped")
def ey_spectral_off_by_one(s: np.ndarray, k: int) -> tuple[float, float]:
    s = np.asarray(s, dtype=np.float64)
    if not 0 <= k <= len(s):
        raise ValueError("k")
    return float(np.sqrt(np.sum(s[k:] ** 2))), float(s[k - 1]) if k > 0 else float(s[0])
