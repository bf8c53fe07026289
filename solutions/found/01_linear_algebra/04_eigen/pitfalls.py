"""Plausible wrong power iterations, deflations and Jacobi sweeps that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from eigen import check_symmetric, jacobi_eigh, power_iteration, sign_normalised

_power, _jacobi = power_iteration, jacobi_eigh  # the solution's versions


def _power_with(A: np.ndarray, tol: float, max_iter: int, seed: int, *, eig: str = "rayleigh", test: str = "<=",
                rng: str = "seeded", normalise: bool = True) -> tuple[float, np.ndarray, bool]:
    A = check_symmetric(A)
    if max_iter < 1:
        raise ValueError("max_iter")
    n = A.shape[0]
    v = np.random.default_rng(seed).standard_normal(n) if rng == "seeded" else np.random.standard_normal(n)
    v /= np.linalg.norm(v)
    converged = False
    for _ in range(max_iter):
        w = A @ v
        lam = float(v @ w)
        if test == "vector-change":
            v_new = w / np.linalg.norm(w) if np.linalg.norm(w) > 0 else v
            done = np.linalg.norm(v_new - v) <= tol
        else:
            res = np.linalg.norm(w - lam * v)
            done = res <= tol * abs(lam) if test == "<=" else res < tol * abs(lam)
        if done:
            converged = True
            break
        v = w / np.linalg.norm(w)
    if normalise:
        v = sign_normalised(v)
    lam = float(np.linalg.norm(A @ v)) if eig == "norm" else float(v @ A @ v)
    return lam, v, converged


@pitfall(replaces="power_iteration", why="eigenvalue estimate ‖Av‖ instead of vᵀAv: a negative dominant λ comes out positive")
def power_norm_estimate(A: np.ndarray, *, tol: float = 1e-10, max_iter: int = 1000,
                        seed: int = 0) -> tuple[float, np.ndarray, bool]:
    return _power_with(A, tol, max_iter, seed, eig="norm")


@pitfall(replaces="power_iteration", why="stops when v stops changing: for a negative λ, v flips sign every step")
def power_vector_change_test(A: np.ndarray, *, tol: float = 1e-10, max_iter: int = 1000,
                             seed: int = 0) -> tuple[float, np.ndarray, bool]:
    return _power_with(A, tol, max_iter, seed, test="vector-change")


@pitfall(replaces="power_iteration", why="strict < in the stopping test: the zero matrix (residual 0, tol·|λ| = 0) never converges")
def power_strict_test(A: np.ndarray, *, tol: float = 1e-10, max_iter: int = 1000,
                      seed: int = 0) -> tuple[float, np.ndarray, bool]:
    return _power_with(A, tol, max_iter, seed, test="<")


@pitfall(replaces="power_iteration", why="draws the start vector from np.random's global state, ignoring seed")
def power_global_rng(A: np.ndarray, *, tol: float = 1e-10, max_iter: int = 1000,
                     seed: int = 0) -> tuple[float, np.ndarray, bool]:
    return _power_with(A, tol, max_iter, seed, rng="global")


@pitfall(replaces="power_iteration", why="returns v with whatever sign the iteration left it")
def power_no_sign_normalisation(A: np.ndarray, *, tol: float = 1e-10, max_iter: int = 1000,
                                seed: int = 0) -> tuple[float, np.ndarray, bool]:
    return _power_with(A, tol, max_iter, seed, normalise=False)


@pitfall(replaces="top_eigenpairs", why="deflates with B − v vᵀ, forgetting the eigenvalue")
def deflate_without_lambda(A: np.ndarray, k: int, *, tol: float = 1e-10, max_iter: int = 1000,
                           seed: int = 0) -> tuple[np.ndarray, np.ndarray, bool]:
    B = check_symmetric(A).copy()
    n = B.shape[0]
    if not 0 <= k <= n:
        raise ValueError("k")
    vals, vecs, ok = np.zeros(k), np.zeros((n, k)), True
    for i in range(k):
        lam, v, c = power_iteration(B, tol=tol, max_iter=max_iter, seed=seed + i)
        vals[i], vecs[:, i], ok = lam, v, ok and c
        B = B - np.outer(v, v)
    return vals, vecs, bool(ok)


@pitfall(replaces="top_eigenpairs", why="uses the same seed for every run instead of seed + i")
def same_seed_every_run(A: np.ndarray, k: int, *, tol: float = 1e-10, max_iter: int = 1000,
                        seed: int = 0) -> tuple[np.ndarray, np.ndarray, bool]:
    B = check_symmetric(A).copy()
    n = B.shape[0]
    if not 0 <= k <= n:
        raise ValueError("k")
    vals, vecs, ok = np.zeros(k), np.zeros((n, k)), True
    for i in range(k):
        lam, v, c = power_iteration(B, tol=tol, max_iter=max_iter, seed=seed)
        vals[i], vecs[:, i], ok = lam, v, ok and c
        B = B - lam * np.outer(v, v)
    return vals, vecs, bool(ok)


@pitfall(replaces="top_eigenpairs", why="reports only the last run's converged flag, not all of them")
def last_flag_only(A: np.ndarray, k: int, *, tol: float = 1e-10, max_iter: int = 1000,
                   seed: int = 0) -> tuple[np.ndarray, np.ndarray, bool]:
    B = check_symmetric(A).copy()
    n = B.shape[0]
    if not 0 <= k <= n:
        raise ValueError("k")
    vals, vecs, ok = np.zeros(k), np.zeros((n, k)), True
    for i in range(k):
        lam, v, ok = power_iteration(B, tol=tol, max_iter=max_iter, seed=seed + i)
        vals[i], vecs[:, i] = lam, v
        B = B - lam * np.outer(v, v)
    return vals, vecs, bool(ok)


@pitfall(replaces="jacobi_eigh", why="returns the eigenvectors as the rows of V (V.T)")
def jacobi_rows(A: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    w, V = _jacobi(A)
    return w, V.T


@pitfall(replaces="jacobi_eigh", why="returns the diagonal in the order the sweeps left it, not ascending")
def jacobi_unsorted(A: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    w, V = _jacobi(A)
    n = len(w)
    order = np.roll(np.arange(n), 1)
    return w[order], V[:, order]


@pitfall(replaces="jacobi_eigh", why="off-diagonal norm as sqrt(‖S‖² − ‖diag S‖²): cancels, so the sweeps stop at 1e-8")
def jacobi_cancelling_off_norm(A: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    S = check_symmetric(A).copy()
    n = S.shape[0]
    V = np.eye(n)
    scale = float(np.linalg.norm(S))
    for _ in range(100):
        off = float(np.sqrt(max(np.sum(S**2) - np.sum(np.diag(S) ** 2), 0.0)))
        if off <= 1e-14 * scale:
            break
        for p in range(n - 1):
            for q in range(p + 1, n):
                if S[p, q] == 0.0:
                    continue
                theta = (S[q, q] - S[p, p]) / (2.0 * S[p, q])
                t = (1.0 if theta >= 0 else -1.0) / (abs(theta) + np.sqrt(theta * theta + 1.0))
                c = 1.0 / np.sqrt(t * t + 1.0)
                s = t * c
                Sp, Sq = S[:, p].copy(), S[:, q].copy()
                S[:, p], S[:, q] = c * Sp - s * Sq, s * Sp + c * Sq
                Sp, Sq = S[p, :].copy(), S[q, :].copy()
                S[p, :], S[q, :] = c * Sp - s * Sq, s * Sp + c * Sq
                Vp, Vq = V[:, p].copy(), V[:, q].copy()
                V[:, p], V[:, q] = c * Vp - s * Vq, s * Vp + c * Vq
    w = np.diag(S).copy()
    order = np.argsort(w)
    return w[order], V[:, order]
