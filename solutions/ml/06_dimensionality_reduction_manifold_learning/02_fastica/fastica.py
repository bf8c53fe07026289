"""Reference solution for ml-06-2."""
from __future__ import annotations

import numpy as np


def sym_decorrelation(W: np.ndarray) -> np.ndarray:
    evals, evecs = np.linalg.eigh(W @ W.T)
    evals = np.clip(evals, np.finfo(np.float64).tiny, None)
    return (evecs / np.sqrt(evals)) @ evecs.T @ W


class FastICA:
    """Parallel FastICA with the logcosh contrast, PCA whitening and unit-variance sources."""

    def __init__(self, n_components: int, w_init: np.ndarray, max_iter: int = 200, tol: float = 1e-4) -> None:
        self.n_components = n_components
        self.w_init = w_init
        self.max_iter = max_iter
        self.tol = tol

    def fit(self, X: np.ndarray) -> FastICA:
        X = np.asarray(X, dtype=np.float64)
        n, d = X.shape
        k = self.n_components
        if not 1 <= k <= min(n, d):
            raise ValueError(f"need 1 <= n_components <= min(n, d) = {min(n, d)}, got {k}")
        w_init = np.asarray(self.w_init, dtype=np.float64)
        if w_init.shape != (k, k):
            raise ValueError(f"w_init must have shape {(k, k)}, got {w_init.shape}")
        # 1. centre and whiten with PCA (biased covariance, so the whitened data have np.std 1).
        self.mean_ = X.mean(axis=0)
        Xc = X - self.mean_
        evals, evecs = np.linalg.eigh(Xc.T @ Xc / n)
        order = np.argsort(evals)[::-1]
        evals, evecs = evals[order], evecs[:, order]
        evecs = evecs * np.sign(evecs[0])  # each eigenvector's first entry positive
        self.whitening_ = (evecs[:, :k] / np.sqrt(evals[:k])).T  # (k, d)
        Z = Xc @ self.whitening_.T  # (n, k), covariance I
        # 2. parallel fixed-point iterations.
        W = sym_decorrelation(w_init)
        n_iter = 0
        for _ in range(self.max_iter):
            n_iter += 1
            g = np.tanh(W @ Z.T)  # (k, n)
            g_prime = (1.0 - g**2).mean(axis=1)  # (k,)
            W_new = sym_decorrelation(g @ Z / n - g_prime[:, None] * W)
            lim = np.max(np.abs(np.abs(np.sum(W_new * W, axis=1)) - 1.0))
            W = W_new
            if lim < self.tol:
                break
        self.n_iter_ = n_iter
        self.components_ = W @ self.whitening_
        self.mixing_ = np.linalg.pinv(self.components_)
        return self

    def transform(self, X: np.ndarray) -> np.ndarray:
        return (np.asarray(X, dtype=np.float64) - self.mean_) @ self.components_.T

    def inverse_transform(self, S: np.ndarray) -> np.ndarray:
        return np.asarray(S, dtype=np.float64) @ self.mixing_.T + self.mean_
