"""Reference solution for ml-06-1."""
from __future__ import annotations

import numpy as np


class PCA:
    """Principal component analysis, fitted either by an SVD of the centred data or by an
    eigendecomposition of its covariance matrix."""

    def __init__(self, n_components: int, method: str = "svd") -> None:
        self.n_components = n_components
        self.method = method

    def fit(self, X: np.ndarray) -> PCA:
        X = np.asarray(X, dtype=np.float64)
        n, d = X.shape
        if self.method not in ("svd", "eigh"):
            raise ValueError(f"method must be 'svd' or 'eigh', got {self.method!r}")
        k = self.n_components
        if not 1 <= k <= min(n, d):
            raise ValueError(f"need 1 <= n_components <= min(n, d) = {min(n, d)}, got {k}")
        self.mean_ = X.mean(axis=0)
        Xc = X - self.mean_
        if self.method == "svd":
            _, s, vt = np.linalg.svd(Xc, full_matrices=False)
            all_var = s**2 / (n - 1)
            components = vt
        else:
            evals, evecs = np.linalg.eigh(Xc.T @ Xc / (n - 1))
            order = np.argsort(evals)[::-1]
            all_var = np.clip(evals[order], 0.0, None)
            components = evecs[:, order].T
            s = np.sqrt(all_var * (n - 1))
        self.components_ = components[:k].copy()
        self.explained_variance_ = all_var[:k].copy()
        self.explained_variance_ratio_ = self.explained_variance_ / all_var.sum()
        self.singular_values_ = s[:k].copy()
        return self

    def transform(self, X: np.ndarray) -> np.ndarray:
        return (np.asarray(X, dtype=np.float64) - self.mean_) @ self.components_.T

    def inverse_transform(self, Z: np.ndarray) -> np.ndarray:
        return np.asarray(Z, dtype=np.float64) @ self.components_ + self.mean_
