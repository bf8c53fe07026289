"""Plausible wrong kernel implementations that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from kernels import linear_kernel


@pitfall(replaces="rbf_kernel", why="gamma=None taken as 1 / (n_features * X.var()) (SVC's 'scale'), not 1 / n_features")
def rbf_gamma_scale(X: np.ndarray, Y: np.ndarray | None = None, gamma: float | None = None) -> np.ndarray:
    X = np.asarray(X, dtype=np.float64)
    Y = X if Y is None else np.asarray(Y, dtype=np.float64)
    if gamma is None:
        gamma = 1.0 / (X.shape[1] * X.var())
    return np.exp(-gamma * ((X[:, None, :] - Y[None, :, :]) ** 2).sum(-1))


@pitfall(replaces="rbf_kernel", why="exp(-gamma * ||x - y||): the distance is not squared")
def rbf_unsquared(X: np.ndarray, Y: np.ndarray | None = None, gamma: float | None = None) -> np.ndarray:
    X = np.asarray(X, dtype=np.float64)
    Y = X if Y is None else np.asarray(Y, dtype=np.float64)
    gamma = 1.0 / X.shape[1] if gamma is None else gamma
    return np.exp(-gamma * np.sqrt(((X[:, None, :] - Y[None, :, :]) ** 2).sum(-1)))


@pitfall(replaces="polynomial_kernel", why="forgets gamma: (x . y + coef0) ** degree")
def poly_without_gamma(X: np.ndarray, Y: np.ndarray | None = None, degree: int = 3, gamma: float | None = None,
                       coef0: float = 1.0) -> np.ndarray:
    return (linear_kernel(X, Y) + coef0) ** degree


@pitfall(replaces="is_psd", why="no tolerance: eigenvalues of -1e-16 on singular Gram matrices fail the test")
def is_psd_exact(K: np.ndarray, tol: float = 1e-10) -> bool:
    K = np.asarray(K, dtype=np.float64)
    return bool(np.allclose(K, K.T) and np.linalg.eigvalsh(K).min() >= 0)


@pitfall(replaces="is_psd", why="no symmetry check: eigvalsh silently reads only one triangle")
def is_psd_no_symmetry(K: np.ndarray, tol: float = 1e-10) -> bool:
    eigenvalues = np.linalg.eigvalsh(np.asarray(K, dtype=np.float64))
    return bool(eigenvalues.min() >= -tol * max(1.0, float(np.abs(eigenvalues).max())))


@pitfall(replaces="is_psd", why="an absolute tolerance of 1e-3 hides genuinely negative eigenvalues")
def is_psd_loose(K: np.ndarray, tol: float = 1e-10) -> bool:
    K = np.asarray(K, dtype=np.float64)
    return bool(np.allclose(K, K.T) and np.linalg.eigvalsh(K).min() >= -1e-3)


@pitfall(replaces="poly2_feature_map", why="cross terms x_i x_j without the sqrt(2)")
def feature_map_without_sqrt2(X: np.ndarray, gamma: float = 1.0, coef0: float = 1.0) -> np.ndarray:
    X = np.asarray(X, dtype=np.float64)
    i, j = np.triu_indices(X.shape[1], k=1)
    return np.hstack([np.full((len(X), 1), coef0), np.sqrt(2 * coef0 * gamma) * X, gamma * X**2,
                      gamma * X[:, i] * X[:, j]])


@pitfall(replaces="is_psd", why="symmetrises the caller's matrix in place (K += K.T; K /= 2) before the eigenvalues")
def symmetrises_in_place(K: np.ndarray, tol: float = 1e-10) -> bool:
    if K.ndim != 2 or K.shape[0] != K.shape[1]:
        return False
    scale = max(1.0, float(np.max(np.abs(K))) if K.size else 1.0)
    if np.max(np.abs(K - K.T), initial=0.0) > tol * scale:
        return False
    K += K.T
    K /= 2
    eigenvalues = np.linalg.eigvalsh(K)
    return bool(eigenvalues.min(initial=0.0) >= -tol * max(1.0, float(np.abs(eigenvalues).max(initial=0.0))))
