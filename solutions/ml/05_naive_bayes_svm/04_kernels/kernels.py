"""Reference solution for ml-05-4."""
from __future__ import annotations

import numpy as np


def linear_kernel(X: np.ndarray, Y: np.ndarray | None = None) -> np.ndarray:
    X = np.asarray(X, dtype=np.float64)
    Y = X if Y is None else np.asarray(Y, dtype=np.float64)
    return X @ Y.T


def polynomial_kernel(X: np.ndarray, Y: np.ndarray | None = None, degree: int = 3, gamma: float | None = None,
                      coef0: float = 1.0) -> np.ndarray:
    X = np.asarray(X, dtype=np.float64)
    if gamma is None:
        gamma = 1.0 / X.shape[1]
    return (gamma * linear_kernel(X, Y) + coef0) ** degree


def rbf_kernel(X: np.ndarray, Y: np.ndarray | None = None, gamma: float | None = None) -> np.ndarray:
    X = np.asarray(X, dtype=np.float64)
    Y = X if Y is None else np.asarray(Y, dtype=np.float64)
    if gamma is None:
        gamma = 1.0 / X.shape[1]
    sq = ((X[:, None, :] - Y[None, :, :]) ** 2).sum(-1)
    return np.exp(-gamma * sq)


def is_psd(K: np.ndarray, tol: float = 1e-10) -> bool:
    K = np.asarray(K, dtype=np.float64)
    if K.ndim != 2 or K.shape[0] != K.shape[1]:
        return False
    scale = max(1.0, float(np.max(np.abs(K))) if K.size else 1.0)
    if np.max(np.abs(K - K.T), initial=0.0) > tol * scale:
        return False
    eigenvalues = np.linalg.eigvalsh((K + K.T) / 2)
    return bool(eigenvalues.min(initial=0.0) >= -tol * max(1.0, float(np.abs(eigenvalues).max(initial=0.0))))


def poly2_feature_map(X: np.ndarray, gamma: float = 1.0, coef0: float = 1.0) -> np.ndarray:
    X = np.asarray(X, dtype=np.float64)
    n, d = X.shape
    i, j = np.triu_indices(d, k=1)
    return np.hstack([
        np.full((n, 1), coef0),
        np.sqrt(2 * coef0 * gamma) * X,
        gamma * X**2,
        np.sqrt(2) * gamma * X[:, i] * X[:, j],
    ])
