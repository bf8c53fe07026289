"""Reference solution for found-01-4."""
from __future__ import annotations

import numpy as np


def check_symmetric(A: np.ndarray) -> np.ndarray:
    """A as a float64 array; ValueError unless it is a square matrix equal to its transpose."""
    A = np.asarray(A, dtype=np.float64)
    if A.ndim != 2 or A.shape[0] != A.shape[1] or not np.array_equal(A, A.T):
        raise ValueError(f"expected a symmetric (n, n) matrix, got shape {A.shape}")
    return A


def sign_normalised(v: np.ndarray) -> np.ndarray:
    """v flipped, if need be, so that its largest-|entry| component (the first on ties) is positive."""
    return -v if v[int(np.argmax(np.abs(v)))] < 0 else v


def power_iteration(A: np.ndarray, *, tol: float = 1e-10, max_iter: int = 1000,
                    seed: int = 0) -> tuple[float, np.ndarray, bool]:
    A = check_symmetric(A)
    if max_iter < 1:
        raise ValueError(f"max_iter must be >= 1, got {max_iter}")
    v = np.random.default_rng(seed).standard_normal(A.shape[0])
    v /= np.linalg.norm(v)
    converged = False
    for _ in range(max_iter):
        w = A @ v
        lam = float(v @ w)
        if np.linalg.norm(w - lam * v) <= tol * abs(lam):
            converged = True
            break
        v = w / np.linalg.norm(w)
    v = sign_normalised(v)
    return float(v @ A @ v), v, converged


def top_eigenpairs(A: np.ndarray, k: int, *, tol: float = 1e-10, max_iter: int = 1000,
                   seed: int = 0) -> tuple[np.ndarray, np.ndarray, bool]:
    B = check_symmetric(A).copy()
    n = B.shape[0]
    if not 0 <= k <= n:
        raise ValueError(f"k must be in [0, {n}], got {k}")
    values, vectors, all_converged = np.zeros(k), np.zeros((n, k)), True
    for i in range(k):
        lam, v, converged = power_iteration(B, tol=tol, max_iter=max_iter, seed=seed + i)
        values[i], vectors[:, i] = lam, v
        all_converged &= converged
        B = B - lam * np.outer(v, v)  # v_i v_j == v_j v_i exactly, so B stays exactly symmetric
    return values, vectors, bool(all_converged)


def jacobi_eigh(A: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    S = check_symmetric(A).copy()
    n = S.shape[0]
    V = np.eye(n)
    scale = float(np.linalg.norm(S))
    for _ in range(100):
        off = float(np.linalg.norm(S - np.diag(np.diag(S))))
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
                Sp, Sq = S[:, p], S[:, q]  # the right-hand sides are built before either column is assigned
                S[:, p], S[:, q] = c * Sp - s * Sq, s * Sp + c * Sq
                Sp, Sq = S[p, :], S[q, :]
                S[p, :], S[q, :] = c * Sp - s * Sq, s * Sp + c * Sq
                Vp, Vq = V[:, p], V[:, q]
                V[:, p], V[:, q] = c * Vp - s * Vq, s * Vp + c * Vq
    w = np.diag(S)
    order = np.argsort(w, kind="stable")
    return w[order], V[:, order]
