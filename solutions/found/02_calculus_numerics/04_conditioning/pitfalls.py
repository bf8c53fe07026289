"""Plausible wrong condition numbers and amplification measurements that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from conditioning import condition_number

_cond = condition_number  # the solution's version


@pitfall(replaces="condition_number", why="|λ|max / |λ|min from eigenvalues: wrong for non-normal matrices")
def cond_eigenvalues(A: np.ndarray, p: float | str = 2) -> float:
    if p != 2:
        return _cond(A, p)
    lam = np.abs(np.linalg.eigvals(np.asarray(A, dtype=np.float64)))
    return float(lam.max() / lam.min()) if lam.min() > 0 else float("inf")


@pitfall(replaces="condition_number", why="always the 2-norm condition number, whatever p is")
def cond_ignores_p(A: np.ndarray, p: float | str = 2) -> float:
    if p not in (1, 2, np.inf, "fro"):
        raise ValueError("p")
    return _cond(A, 2)


@pitfall(replaces="condition_number", why="for singular A returns the huge number inv/svd produce instead of inf")
def cond_singular_finite(A: np.ndarray, p: float | str = 2) -> float:
    A = np.asarray(A, dtype=np.float64)
    if A.ndim != 2 or A.shape[0] != A.shape[1]:
        raise ValueError("square")
    if p not in (1, 2, np.inf, "fro"):
        raise ValueError("p")
    s = np.linalg.svd(A, compute_uv=False)
    if p == 2:
        return float(s[0] / max(s[-1], 1e-300))
    A_inv = np.linalg.pinv(A)
    return float(np.linalg.norm(A, p) * np.linalg.norm(A_inv, p)) if s[-1] > 0 else 1e300


@pitfall(replaces="error_amplification", why="the ratio upside down: (‖δb‖/‖b‖) / (‖δx‖/‖x‖)")
def amp_inverted(A: np.ndarray, b: np.ndarray, delta_b: np.ndarray) -> float:
    x, dx = np.linalg.solve(A, b), np.linalg.solve(A, delta_b)
    return float((np.linalg.norm(delta_b) / np.linalg.norm(b)) / (np.linalg.norm(dx) / np.linalg.norm(x)))


@pitfall(replaces="error_amplification", why="absolute errors ‖δx‖ / ‖δb‖ instead of relative ones")
def amp_absolute(A: np.ndarray, b: np.ndarray, delta_b: np.ndarray) -> float:
    return float(np.linalg.norm(np.linalg.solve(A, delta_b)) / np.linalg.norm(delta_b))


@pitfall(replaces="error_amplification", why="δx = solve(A, b + δb) − solve(A, b): cancellation when δb is tiny")
def amp_by_subtraction(A: np.ndarray, b: np.ndarray, delta_b: np.ndarray) -> float:
    x = np.linalg.solve(A, b)
    dx = np.linalg.solve(A, b + delta_b) - x
    return float((np.linalg.norm(dx) / np.linalg.norm(x)) / (np.linalg.norm(delta_b) / np.linalg.norm(b)))


@pitfall(replaces="worst_case_pair", why="b and delta_b swapped: u_n for b and u_1 for delta_b is the best case, 1/κ")
def pair_swapped(A: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    U, _, _ = np.linalg.svd(np.asarray(A, dtype=np.float64))
    return U[:, -1].copy(), U[:, 0].copy()


@pitfall(replaces="worst_case_pair", why="right singular vectors (columns of V) instead of left ones (columns of U)")
def pair_right_vectors(A: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    _, _, Vt = np.linalg.svd(np.asarray(A, dtype=np.float64))
    return Vt[0].copy(), Vt[-1].copy()
