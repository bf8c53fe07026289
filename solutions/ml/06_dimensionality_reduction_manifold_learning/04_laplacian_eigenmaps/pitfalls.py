"""Plausible wrong versions of Laplacian eigenmaps that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import scipy.linalg

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from laplacian_eigenmaps import LaplacianEigenmaps, squared_distances


def _graph(X: np.ndarray, n_neighbors: int, t: float, *, mutual: bool = False, self_neighbour: bool = False,
           plain_distance: bool = False) -> np.ndarray:
    n = X.shape[0]
    if not 1 <= n_neighbors < n:
        raise ValueError("bad n_neighbors")
    D2 = squared_distances(X)
    ranked = D2.copy()
    if not self_neighbour:
        np.fill_diagonal(ranked, np.inf)
    nearest = np.argsort(ranked, axis=1, kind="stable")[:, :n_neighbors]
    adj = np.zeros((n, n), dtype=bool)
    adj[np.repeat(np.arange(n), n_neighbors), nearest.ravel()] = True
    adj = adj & adj.T if mutual else adj | adj.T
    np.fill_diagonal(adj, False)
    dist = np.sqrt(D2) if plain_distance else D2
    return np.where(adj, np.exp(-dist / t), 0.0)


@pitfall(replaces="knn_heat_kernel", why="mutual k-NN (AND) instead of the usual OR symmetrisation")
def mutual_knn(X: np.ndarray, n_neighbors: int, t: float) -> np.ndarray:
    return _graph(X, n_neighbors, t, mutual=True)


@pitfall(replaces="knn_heat_kernel", why="counts the point itself as its first nearest neighbour")
def self_is_a_neighbour(X: np.ndarray, n_neighbors: int, t: float) -> np.ndarray:
    return _graph(X, n_neighbors, t, self_neighbour=True)


@pitfall(replaces="knn_heat_kernel", why="heat kernel on the distance, not the squared distance")
def unsquared_distance(X: np.ndarray, n_neighbors: int, t: float) -> np.ndarray:
    return _graph(X, n_neighbors, t, plain_distance=True)


def _fit(self: LaplacianEigenmaps, affinity: np.ndarray, *, keep_diag: bool = False, generalised: bool = True,
         rescale: bool = True, drop_first: bool = True) -> LaplacianEigenmaps:
    W = np.array(affinity, dtype=np.float64)
    n, k = W.shape[0], self.n_components
    if not 1 <= k < n:
        raise ValueError("bad n_components")
    if not keep_diag:
        np.fill_diagonal(W, 0.0)
    deg = W.sum(axis=1)
    L = np.diag(deg) - W
    if generalised and rescale:
        evals, evecs = scipy.linalg.eigh(L, np.diag(deg))
    elif generalised:  # normalised Laplacian's eigenvectors, never mapped back by D^-1/2
        s = 1.0 / np.sqrt(deg)
        evals, evecs = np.linalg.eigh(s[:, None] * L * s[None, :])
    else:
        evals, evecs = np.linalg.eigh(L)
    start = 1 if drop_first else 0
    self.eigenvalues_ = evals[start : start + k]
    self.embedding_ = evecs[:, start : start + k]
    return self


@pitfall(replaces="LaplacianEigenmaps.fit", why="eigenvectors of L = D - W (unnormalised), not of L y = lambda D y")
def unnormalised_laplacian(self: LaplacianEigenmaps, affinity: np.ndarray) -> LaplacianEigenmaps:
    return _fit(self, affinity, generalised=False)


@pitfall(replaces="LaplacianEigenmaps.fit", why="returns the normalised Laplacian's eigenvectors v without y = D^-1/2 v")
def no_rescale(self: LaplacianEigenmaps, affinity: np.ndarray) -> LaplacianEigenmaps:
    return _fit(self, affinity, rescale=False)


@pitfall(replaces="LaplacianEigenmaps.fit", why="keeps the trivial constant eigenvector (eigenvalue 0)")
def keeps_trivial(self: LaplacianEigenmaps, affinity: np.ndarray) -> LaplacianEigenmaps:
    return _fit(self, affinity, drop_first=False)


@pitfall(replaces="LaplacianEigenmaps.fit", why="counts the self-loops on W's diagonal in the degrees")
def self_loops_in_degree(self: LaplacianEigenmaps, affinity: np.ndarray) -> LaplacianEigenmaps:
    return _fit(self, affinity, keep_diag=True)
