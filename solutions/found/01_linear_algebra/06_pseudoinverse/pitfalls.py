"""Plausible wrong pseudoinverses and least-squares solvers that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from pinv import default_rcond, pinv

_pinv = pinv  # the solution's version


def _pinv_with(A: np.ndarray, rcond: float | None, rule: str) -> np.ndarray:
    A = np.asarray(A, dtype=np.float64)
    if A.ndim != 2:
        raise ValueError("2-D")
    rcond = default_rcond(A) if rcond is None else rcond
    U, s, Vt = np.linalg.svd(A, full_matrices=False)
    smax = s[0] if len(s) else 0.0
    keep = {"relative": s > rcond * smax, "absolute": s > rcond, "strict": s >= rcond * smax,
            "nonzero": s > 0}[rule]
    s_inv = np.zeros_like(s)
    s_inv[keep] = 1.0 / s[keep]
    return (Vt.T * s_inv) @ U.T


@pitfall(replaces="pinv", why="inverts every nonzero singular value: rounding-noise values of 1e-16 become 1e16")
def pinv_no_cutoff(A: np.ndarray, rcond: float | None = None) -> np.ndarray:
    return _pinv_with(A, rcond, "nonzero")


@pitfall(replaces="pinv", why="absolute cut-off s_i <= rcond instead of s_i <= rcond · s_max")
def pinv_absolute_cutoff(A: np.ndarray, rcond: float | None = None) -> np.ndarray:
    return _pinv_with(A, rcond, "absolute")


@pitfall(replaces="pinv", why="keeps a singular value exactly at the cut-off (s_i >= rcond · s_max)")
def pinv_strict_cutoff(A: np.ndarray, rcond: float | None = None) -> np.ndarray:
    return _pinv_with(A, rcond, "strict")


@pitfall(replaces="pinv", why="U diag(1/s) Vt: the factors of A in A's order instead of V diag(1/s) Uᵀ")
def pinv_factors_swapped(A: np.ndarray, rcond: float | None = None) -> np.ndarray:
    X = _pinv(A, rcond)
    U, s, Vt = np.linalg.svd(np.asarray(A, dtype=np.float64), full_matrices=False)
    keep = s > (default_rcond(np.asarray(A)) if rcond is None else rcond) * (s[0] if len(s) else 0.0)
    s_inv = np.where(keep, 1.0 / np.where(keep, s, 1.0), 0.0)
    return ((U * s_inv) @ Vt).T if X.shape[0] != X.shape[1] else (U * s_inv) @ Vt


@pitfall(replaces="pinv", why="normal-equations formula (AᵀA)⁻¹Aᵀ: only valid for full column rank")
def pinv_normal_equations(A: np.ndarray, rcond: float | None = None) -> np.ndarray:
    A = np.asarray(A, dtype=np.float64)
    if A.ndim != 2:
        raise ValueError("2-D")
    try:
        return np.linalg.inv(A.T @ A) @ A.T
    except np.linalg.LinAlgError:
        return np.zeros((A.shape[1], A.shape[0]))


@pitfall(replaces="pinv", why="ignores rcond and always uses the default cut-off")
def pinv_ignores_rcond(A: np.ndarray, rcond: float | None = None) -> np.ndarray:
    return _pinv(A, None)


@pitfall(replaces="lstsq_min_norm", why="reports min(m, n) as the rank instead of counting the kept singular values")
def lstsq_full_rank(A: np.ndarray, b: np.ndarray, rcond: float | None = None) -> tuple[np.ndarray, int]:
    A, b = np.asarray(A, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if A.ndim != 2 or b.ndim not in (1, 2) or b.shape[0] != A.shape[0]:
        raise ValueError("shapes")
    return pinv(A, rcond) @ b, min(A.shape)


@pitfall(replaces="lstsq_min_norm", why="solves with np.linalg.lstsq's old default rcond=-1 (machine precision), ignoring rcond")
def lstsq_ignores_rcond(A: np.ndarray, b: np.ndarray, rcond: float | None = None) -> tuple[np.ndarray, int]:
    A, b = np.asarray(A, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if A.ndim != 2 or b.ndim not in (1, 2) or b.shape[0] != A.shape[0]:
        raise ValueError("shapes")
    s = np.linalg.svd(A, compute_uv=False)
    tol = default_rcond(A) * (s[0] if len(s) else 0.0)
    return pinv(A) @ b, int(np.sum(s > tol))
