"""Reference solution for found-01-8."""
from __future__ import annotations

import numpy as np


def spectral_norm(A: np.ndarray, *, tol: float = 1e-12, max_iter: int = 10000,
                  seed: int = 0) -> tuple[float, np.ndarray, bool]:
    A = np.asarray(A)
    if A.ndim != 2:
        raise ValueError(f"A must be 2-D, got shape {A.shape}")
    if max_iter < 1:
        raise ValueError(f"max_iter must be >= 1, got {max_iter}")
    v = np.random.default_rng(seed).standard_normal(A.shape[1])
    v /= np.linalg.norm(v)
    converged = False
    for _ in range(max_iter):
        w = A.T @ (A @ v)
        mu = float(v @ w)
        if np.linalg.norm(w - mu * v) <= tol * mu:
            converged = True
            break
        v = w / np.linalg.norm(w)
    return float(np.linalg.norm(A @ v)), v, converged


def induced_norm(A: np.ndarray, p: float) -> tuple[float, np.ndarray]:
    A = np.asarray(A)
    if A.ndim != 2:
        raise ValueError(f"A must be 2-D, got shape {A.shape}")
    n = A.shape[1]
    if p == 1:
        sums = np.abs(A).sum(axis=0)
        j = int(np.argmax(sums))
        x = np.zeros(n)
        x[j] = 1.0
        return float(sums[j]), x
    if p == np.inf:
        sums = np.abs(A).sum(axis=1)
        i = int(np.argmax(sums))
        x = np.where(A[i] < 0, -1.0, 1.0)
        return float(sums[i]), x
    if p == 2:
        sigma, v, _ = spectral_norm(A)
        return sigma, v
    raise ValueError(f"p must be 1, 2 or np.inf, got {p}")


def gram_matrix(X: np.ndarray, kernel: str = "linear", gamma: float | None = None) -> np.ndarray:
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2:
        raise ValueError(f"X must be 2-D, got shape {X.shape}")
    if kernel == "linear":
        return X @ X.T
    if kernel == "rbf":
        gamma = 1.0 / X.shape[1] if gamma is None else gamma
        sq = np.sum(X**2, axis=1)
        d2 = np.maximum(sq[:, None] + sq[None, :] - 2.0 * X @ X.T, 0.0)
        np.fill_diagonal(d2, 0.0)  # ‖x − x‖² = 0 exactly: the diagonal is exactly 1
        return np.exp(-gamma * d2)
    raise ValueError(f"kernel must be 'linear' or 'rbf', got {kernel!r}")


def is_psd(G: np.ndarray, tol: float = 1e-10) -> bool:
    G = np.asarray(G)
    if G.ndim != 2 or G.shape[0] != G.shape[1]:
        raise ValueError(f"G must be square, got shape {G.shape}")
    scale = float(np.max(np.abs(G))) if G.size else 0.0
    if np.max(np.abs(G - G.T), initial=0.0) > tol * scale:
        return False
    lam = np.linalg.eigvalsh((G + G.T) / 2)
    return bool(lam[0] >= -tol * float(np.max(np.abs(lam)))) if len(lam) else True
