"""Reference solution for ml-06-3."""
from __future__ import annotations

import numpy as np


def squared_distances(X: np.ndarray) -> np.ndarray:
    """(n, n) squared Euclidean distances between the rows of X, exactly 0 on the diagonal (given)."""
    diff = X[:, None, :] - X[None, :, :]
    return np.einsum("ijk,ijk->ij", diff, diff)


def conditional_probabilities(sq_distances: np.ndarray, perplexity: float, tol: float = 1e-5,
                              max_iter: int = 100) -> tuple[np.ndarray, np.ndarray]:
    D = np.asarray(sq_distances, dtype=np.float64)
    n = D.shape[0]
    target = np.log(perplexity)
    P = np.zeros((n, n))
    betas = np.ones(n)
    for i in range(n):
        d = np.delete(D[i], i)
        d = d - d.min()  # shifting by a constant changes no probability, and keeps exp() from underflowing
        beta, lo, hi = 1.0, 0.0, np.inf
        for _ in range(max_iter):
            w = np.exp(-beta * d)
            p = w / w.sum()
            entropy = np.log(w.sum()) + beta * np.dot(p, d)
            if abs(entropy - target) <= tol:
                break
            if entropy > target:  # too flat: sharpen
                lo = beta
                beta = beta * 2.0 if hi == np.inf else (beta + hi) / 2.0
            else:
                hi = beta
                beta = (beta + lo) / 2.0
        P[i, np.arange(n) != i] = p
        betas[i] = beta
    return P, betas


def joint_probabilities(X: np.ndarray, perplexity: float) -> np.ndarray:
    X = np.asarray(X, dtype=np.float64)
    P, _ = conditional_probabilities(squared_distances(X), perplexity)
    return (P + P.T) / (2.0 * X.shape[0])


def kl_divergence_and_gradient(P: np.ndarray, Y: np.ndarray) -> tuple[float, np.ndarray]:
    P = np.asarray(P, dtype=np.float64)
    Y = np.asarray(Y, dtype=np.float64)
    n = Y.shape[0]
    W = 1.0 / (1.0 + squared_distances(Y))
    W[np.arange(n), np.arange(n)] = 0.0
    Q = W / W.sum()
    mask = P > 0
    kl = float(np.sum(P[mask] * np.log(P[mask] / Q[mask])))
    M = (P - Q) * W  # (n, n), zero diagonal
    grad = 4.0 * (M.sum(axis=1)[:, None] * Y - M @ Y)
    return kl, grad
