"""Reference solution for ml-06-5."""
from __future__ import annotations

import numpy as np


def pairwise_distances(X: np.ndarray) -> np.ndarray:
    """(n, n) Euclidean distances between the rows of X (given)."""
    diff = X[:, None, :] - X[None, :, :]
    return np.sqrt(np.einsum("ijk,ijk->ij", diff, diff))


def knn_graph(X: np.ndarray, n_neighbors: int) -> np.ndarray:
    X = np.asarray(X, dtype=np.float64)
    n = X.shape[0]
    if not 1 <= n_neighbors < n:
        raise ValueError(f"need 1 <= n_neighbors < n = {n}, got {n_neighbors}")
    dist = pairwise_distances(X)
    ranked = dist.copy()
    np.fill_diagonal(ranked, np.inf)
    nearest = np.argsort(ranked, axis=1, kind="stable")[:, :n_neighbors]
    adj = np.zeros((n, n), dtype=bool)
    adj[np.repeat(np.arange(n), n_neighbors), nearest.ravel()] = True
    adj |= adj.T
    G = np.where(adj, dist, np.inf)
    np.fill_diagonal(G, 0.0)
    return G


def shortest_paths(G: np.ndarray) -> np.ndarray:
    D = np.array(G, dtype=np.float64)
    np.fill_diagonal(D, 0.0)
    for k in range(D.shape[0]):  # Floyd-Warshall: allow paths through vertex k
        np.minimum(D, D[:, k : k + 1] + D[k : k + 1, :], out=D)
    return D


def classical_mds(D: np.ndarray, n_components: int) -> np.ndarray:
    D = np.asarray(D, dtype=np.float64)
    n = D.shape[0]
    J = np.eye(n) - 1.0 / n
    B = -0.5 * J @ (D**2) @ J
    evals, evecs = np.linalg.eigh((B + B.T) / 2)
    order = np.argsort(evals)[::-1][:n_components]
    return evecs[:, order] * np.sqrt(np.clip(evals[order], 0.0, None))


class Isomap:
    """Isomap: k-NN graph, geodesic distances by shortest paths, classical MDS."""

    def __init__(self, n_neighbors: int = 5, n_components: int = 2) -> None:
        self.n_neighbors = n_neighbors
        self.n_components = n_components

    def fit(self, X: np.ndarray) -> Isomap:
        self.dist_matrix_ = shortest_paths(knn_graph(X, self.n_neighbors))
        if not np.all(np.isfinite(self.dist_matrix_)):
            raise ValueError("the neighbourhood graph is not connected: increase n_neighbors")
        self.embedding_ = classical_mds(self.dist_matrix_, self.n_components)
        return self

    def fit_transform(self, X: np.ndarray) -> np.ndarray:
        return self.fit(X).embedding_
