"""Plausible wrong operator norms, spectral norms, Gram matrices and PSD checks that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from operator_norms import gram_matrix, induced_norm, spectral_norm

_induced, _spectral, _gram = induced_norm, spectral_norm, gram_matrix  # the solution's versions


@pitfall(replaces="induced_norm", why="p=1 and p=inf swapped: the largest row sum for p=1")
def induced_swapped(A: np.ndarray, p: float) -> tuple[float, np.ndarray]:
    if p == 1 and np.asarray(A).shape[0] == np.asarray(A).shape[1]:
        return _induced(A, np.inf)
    if p == 1:
        value, _ = _induced(A, np.inf)
        return value, _induced(A, 1)[1]
    return _induced(A, p)


@pitfall(replaces="induced_norm", why="x = np.sign(row) for p=inf: a zero row gives x = 0, not a unit vector")
def induced_sign_zero(A: np.ndarray, p: float) -> tuple[float, np.ndarray]:
    value, x = _induced(A, p)
    if p == np.inf:
        A = np.asarray(A, dtype=np.float64)
        x = np.sign(A[int(np.argmax(np.abs(A).sum(axis=1)))])
    return value, x


@pitfall(replaces="induced_norm", why="p=2 reported as the Frobenius norm")
def induced_frobenius(A: np.ndarray, p: float) -> tuple[float, np.ndarray]:
    value, x = _induced(A, p)
    return (float(np.linalg.norm(A)), x) if p == 2 else (value, x)


@pitfall(replaces="spectral_norm", why="returns μ = vᵀAᵀAv = σ² instead of σ")
def spectral_squared(A: np.ndarray, *, tol: float = 1e-12, max_iter: int = 10000,
                     seed: int = 0) -> tuple[float, np.ndarray, bool]:
    sigma, v, c = _spectral(A, tol=tol, max_iter=max_iter, seed=seed)
    return sigma**2, v, c


@pitfall(replaces="spectral_norm", why="power iteration on A itself (needs a square A, and finds |λ|max, not σmax)")
def spectral_on_a(A: np.ndarray, *, tol: float = 1e-12, max_iter: int = 10000,
                  seed: int = 0) -> tuple[float, np.ndarray, bool]:
    A = np.asarray(A, dtype=np.float64)
    if A.shape[0] != A.shape[1]:
        return _spectral(A, tol=tol, max_iter=max_iter, seed=seed)
    v = np.random.default_rng(seed).standard_normal(A.shape[1])
    v /= np.linalg.norm(v)
    for _ in range(max_iter):
        w = A @ v
        if np.linalg.norm(w) == 0:
            break
        v = w / np.linalg.norm(w)
    return float(np.linalg.norm(A @ v)), v, True


@pitfall(replaces="spectral_norm", why="draws the start vector from np.random's global state")
def spectral_global_rng(A: np.ndarray, *, tol: float = 1e-12, max_iter: int = 10000,
                        seed: int = 0) -> tuple[float, np.ndarray, bool]:
    A = np.asarray(A, dtype=np.float64)
    if A.ndim != 2 or max_iter < 1:
        raise ValueError("bad")
    v = np.random.standard_normal(A.shape[1])
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


@pitfall(replaces="gram_matrix", why="RBF with exp(−γ‖x − y‖) (the Laplacian kernel): the distance is not squared")
def gram_unsquared(X: np.ndarray, kernel: str = "linear", gamma: float | None = None) -> np.ndarray:
    if kernel != "rbf":
        return _gram(X, kernel, gamma)
    X = np.asarray(X, dtype=np.float64)
    g = 1.0 / X.shape[1] if gamma is None else gamma
    return np.exp(-g * np.sqrt(np.sum((X[:, None] - X[None, :]) ** 2, axis=-1)))


@pitfall(replaces="gram_matrix", why="gamma=None taken as 1.0 instead of 1 / n_features")
def gram_gamma_one(X: np.ndarray, kernel: str = "linear", gamma: float | None = None) -> np.ndarray:
    return _gram(X, kernel, 1.0 if gamma is None else gamma)


@pitfall(replaces="gram_matrix", why="squared distances by ‖x‖² + ‖y‖² − 2x·y without clipping: rounding makes them negative")
def gram_unclipped(X: np.ndarray, kernel: str = "linear", gamma: float | None = None) -> np.ndarray:
    if kernel != "rbf":
        return _gram(X, kernel, gamma)
    X = np.asarray(X, dtype=np.float64)
    g = 1.0 / X.shape[1] if gamma is None else gamma
    sq = np.sum(X**2, axis=1)
    return np.exp(-g * (sq[:, None] + sq[None, :] - 2.0 * X @ X.T))


@pitfall(replaces="is_psd", why="confuses PSD with non-negative entries")
def psd_nonnegative_entries(G: np.ndarray, tol: float = 1e-10) -> bool:
    G = np.asarray(G, dtype=np.float64)
    if G.ndim != 2 or G.shape[0] != G.shape[1]:
        raise ValueError("square")
    return bool(np.all(G >= 0) and np.allclose(G, G.T))


@pitfall(replaces="is_psd", why="no tolerance: a rounding eigenvalue of −1e-16 makes a Gram matrix 'not PSD'")
def psd_no_tolerance(G: np.ndarray, tol: float = 1e-10) -> bool:
    G = np.asarray(G, dtype=np.float64)
    if G.ndim != 2 or G.shape[0] != G.shape[1]:
        raise ValueError("square")
    return bool(np.allclose(G, G.T) and np.linalg.eigvalsh((G + G.T) / 2)[0] >= 0)


@pitfall(replaces="is_psd", why="never checks symmetry: eigvalsh reads one triangle, so triu(ones) looks PSD")
def psd_no_symmetry_check(G: np.ndarray, tol: float = 1e-10) -> bool:
    G = np.asarray(G, dtype=np.float64)
    if G.ndim != 2 or G.shape[0] != G.shape[1]:
        raise ValueError("square")
    lam = np.linalg.eigvalsh(G)
    return bool(lam[0] >= -tol * float(np.max(np.abs(lam))))
