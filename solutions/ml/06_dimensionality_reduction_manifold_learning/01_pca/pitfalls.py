"""Plausible wrong versions of PCA that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from pca import PCA


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


@pitfall(replaces="PCA.fit", why="centres the caller's X in place (X -= mean_): the right components, but the data handed in are changed")
def fit_centres_in_place(self: PCA, X: np.ndarray) -> PCA:
    n, d = X.shape
    if self.method not in ("svd", "eigh"):
        raise ValueError(f"method must be 'svd' or 'eigh', got {self.method!r}")
    k = self.n_components
    if not 1 <= k <= min(n, d):
        raise ValueError(f"need 1 <= n_components <= min(n, d) = {min(n, d)}, got {k}")
    self.mean_ = X.mean(axis=0)
    X -= self.mean_  # saves a copy, but the caller's data are now centred
    Xc = X
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
