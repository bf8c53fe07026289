"""Reference solution for ml-06-4."""
from __future__ import annotations

import numpy as np
import scipy.linalg


def squared_distances(X: np.ndarray) -> np.ndarray:
    """(n, n) squared Euclidean distances between the rows of X (given)."""
    diff = X[:, None, :] - X[None, :, :]
    return np.einsum("ijk,ijk->ij", diff, diff)


def knn_heat_kernel(X: np.ndarray, n_neighbors: int, t: float) -> np.ndarray:
    X = np.asarray(X, dtype=np.float64)
    n = X.shape[0]
    if not 1 <= n_neighbors < n:
        raise ValueError(f"need 1 <= n_neighbors < n = {n}, got {n_neighbors}")
    D2 = squared_distances(X)
    np.fill_diagonal(D2, np.inf)  # a point is not its own neighbour
    nearest = np.argsort(D2, axis=1, kind="stable")[:, :n_neighbors]
    adj = np.zeros((n, n), dtype=bool)
    adj[np.repeat(np.arange(n), n_neighbors), nearest.ravel()] = True
    adj |= adj.T  # j is a neighbour of i OR i of j
    return np.where(adj, np.exp(-np.where(adj, D2, 0.0) / t), 0.0)


class LaplacianEigenmaps:
    """Belkin & Niyogi's Laplacian eigenmaps on a precomputed affinity matrix."""

    def __init__(self, n_components: int = 2) -> None:
        self.n_components = n_components

    def fit(self, affinity: np.ndarray) -> LaplacianEigenmaps:
        W = np.array(affinity, dtype=np.float64)
        n = W.shape[0]
        k = self.n_components
        if not 1 <= k < n:
            raise ValueError(f"need 1 <= n_components < n = {n}, got {k}")
        np.fill_diagonal(W, 0.0)  # self-loops do not count
        deg = W.sum(axis=1)
        L = np.diag(deg) - W
        evals, evecs = scipy.linalg.eigh(L, np.diag(deg), subset_by_index=(0, k))
        self.eigenvalues_ = evals[1:]
        self.embedding_ = evecs[:, 1:]  # drop the constant eigenvector (eigenvalue 0)
        return self

    def fit_transform(self, affinity: np.ndarray) -> np.ndarray:
        return self.fit(affinity).embedding_
