"""ml-06-5: Isomap. Edit this file; `grader check ml-06-5` tests it."""
from __future__ import annotations

import numpy as np


def pairwise_distances(X: np.ndarray) -> np.ndarray:
    """(n, n) Euclidean distances between the rows of X (given)."""
    diff = X[:, None, :] - X[None, :, :]
    return np.sqrt(np.einsum("ijk,ijk->ij", diff, diff))


def knn_graph(X: np.ndarray, n_neighbors: int) -> np.ndarray:
    """The undirected k-nearest-neighbour graph as a dense matrix of edge lengths.

    G_ij = |x_i - x_j| if j is among the n_neighbors nearest points of i OR i among those of j
    (a point is never its own neighbour); G_ij = inf where there is no edge; G_ii = 0.

    Shapes:
        X: (n, d) float64
        returns: (n, n) float64, symmetric

    Raises:
        ValueError: unless 1 <= n_neighbors < n.
    """
    raise NotImplementedError("knn_graph: nearest neighbours, OR-symmetrise, inf for non-edges")


def shortest_paths(G: np.ndarray) -> np.ndarray:
    """All-pairs shortest path lengths (Floyd-Warshall), for a possibly directed graph.

    Shapes:
        G: (n, n) float64, G_ij >= 0 the length of the edge i -> j, inf where there is none
        returns: (n, n) float64, 0 on the diagonal, inf where j is unreachable from i
    """
    raise NotImplementedError("shortest_paths: relax every pair through every intermediate vertex k")


def classical_mds(D: np.ndarray, n_components: int) -> np.ndarray:
    """Classical (Torgerson) multidimensional scaling of a distance matrix.

    B = -1/2 J D^2 J with the centring matrix J = I - 11^T/n and D^2 squared elementwise; the
    embedding is the top n_components eigenvectors of B, each scaled by sqrt(its eigenvalue).

    Shapes:
        D: (n, n) float64, symmetric distances
        returns: (n, n_components) float64 (column signs free)
    """
    raise NotImplementedError("classical_mds: double centring, then the top eigenvectors times sqrt(eigenvalue)")


class Isomap:
    """Isomap (Tenenbaum, de Silva & Langford 2000).

    Fitted attributes (set by `fit`):
        dist_matrix_: (n, n) float64, geodesic distances (shortest paths in the k-NN graph)
        embedding_: (n, n_components) float64, classical MDS of dist_matrix_
    """

    def __init__(self, n_neighbors: int = 5, n_components: int = 2) -> None:
        self.n_neighbors = n_neighbors
        self.n_components = n_components

    def fit(self, X: np.ndarray) -> Isomap:
        """Fit on X and return self.

        Shapes:
            X: (n, d) float64
            returns: self

        Raises:
            ValueError: if the k-NN graph is not connected (some geodesic distance is inf).
        """
        raise NotImplementedError("Isomap.fit: knn_graph -> shortest_paths -> classical_mds")

    def fit_transform(self, X: np.ndarray) -> np.ndarray:
        """fit(X).embedding_.

        Shapes:
            X: (n, d) float64
            returns: (n, n_components) float64
        """
        raise NotImplementedError("Isomap.fit_transform: fit, then return embedding_")
