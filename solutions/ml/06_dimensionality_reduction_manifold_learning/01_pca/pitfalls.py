"""Plausible wrong versions of PCA that the tests must reject."""
from __future__ import annotations

import numpy as np

from grader.pitfalls import pitfall


def _check(self: PCA, X: np.ndarray) -> tuple[int, int]:
    n, d = X.shape
    if self.method not in ("svd", "eigh") or not 1 <= self.n_components <= min(n, d):
        raise ValueError("bad arguments")
    return n, d


@pitfall(replaces="PCA.fit", why="takes the SVD of X itself, not of the centred data")
def uncentred_svd(self: PCA, X: np.ndarray) -> PCA:
    n, _ = _check(self, X)
    k = self.n_components
    self.mean_ = X.mean(axis=0)
    _, s, vt = np.linalg.svd(X, full_matrices=False)
    var = s**2 / (n - 1)
    self.components_, self.explained_variance_, self.singular_values_ = vt[:k], var[:k], s[:k]
    self.explained_variance_ratio_ = var[:k] / var.sum()
    return self


@pitfall(replaces="PCA.fit", why="biased variance: divides the squared singular values by n, not n - 1")
def biased_variance(self: PCA, X: np.ndarray) -> PCA:
    n, _ = _check(self, X)
    k = self.n_components
    self.mean_ = X.mean(axis=0)
    _, s, vt = np.linalg.svd(X - self.mean_, full_matrices=False)
    var = s**2 / n
    self.components_, self.explained_variance_, self.singular_values_ = vt[:k], var[:k], s[:k]
    self.explained_variance_ratio_ = var[:k] / var.sum()
    return self


@pitfall(replaces="PCA.fit", why="explained_variance_ratio_ divides by the variance of the k kept components only")
def ratio_of_kept(self: PCA, X: np.ndarray) -> PCA:
    n, _ = _check(self, X)
    k = self.n_components
    self.mean_ = X.mean(axis=0)
    _, s, vt = np.linalg.svd(X - self.mean_, full_matrices=False)
    var = s**2 / (n - 1)
    self.components_, self.explained_variance_, self.singular_values_ = vt[:k], var[:k], s[:k]
    self.explained_variance_ratio_ = var[:k] / var[:k].sum()
    return self


@pitfall(replaces="PCA.fit", why="components_ are the columns of Vt (rows of V) instead of the rows of Vt")
def transposed_components(self: PCA, X: np.ndarray) -> PCA:
    n, _ = _check(self, X)
    k = self.n_components
    self.mean_ = X.mean(axis=0)
    _, s, vt = np.linalg.svd(X - self.mean_, full_matrices=False)
    var = s**2 / (n - 1)
    self.components_, self.explained_variance_, self.singular_values_ = vt.T[:k], var[:k], s[:k]
    self.explained_variance_ratio_ = var[:k] / var.sum()
    return self


@pitfall(replaces="PCA.fit", why="method='eigh' keeps eigh's ascending order: the k SMALLEST-variance axes")
def eigh_ascending(self: PCA, X: np.ndarray) -> PCA:
    n, _ = _check(self, X)
    k = self.n_components
    self.mean_ = X.mean(axis=0)
    Xc = X - self.mean_
    if self.method == "svd":
        _, s, vt = np.linalg.svd(Xc, full_matrices=False)
        var, comps = s**2 / (n - 1), vt
    else:
        var, vecs = np.linalg.eigh(Xc.T @ Xc / (n - 1))
        var = np.clip(var, 0, None)
        comps, s = vecs.T, np.sqrt(np.clip(var, 0, None) * (n - 1))
    self.components_, self.explained_variance_, self.singular_values_ = comps[:k], var[:k], s[:k]
    self.explained_variance_ratio_ = var[:k] / var.sum()
    return self


@pitfall(replaces="PCA.transform", why="transform centres new data with its own mean instead of the training mean_")
def own_mean_transform(self: PCA, X: np.ndarray) -> np.ndarray:
    return (X - X.mean(axis=0)) @ self.components_.T
