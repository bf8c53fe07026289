"""ml-06-4: Laplacian eigenmaps. Edit this file; `grader check ml-06-4` tests it."""
from __future__ import annotations

import numpy as np


def squared_distances(X: np.ndarray) -> np.ndarray:
    """(n, n) squared Euclidean distances between the rows of X (given)."""
    diff = X[:, None, :] - X[None, :, :]
    return np.einsum("ijk,ijk->ij", diff, diff)


def knn_heat_kernel(X: np.ndarray, n_neighbors: int, t: float) -> np.ndarray:
    """The symmetric k-nearest-neighbour graph with heat-kernel weights.

    W_ij = exp(-|x_i - x_j|^2 / t) if j is among the n_neighbors nearest points of i OR i is among
    those of j (a point is never its own neighbour), else 0. The diagonal is 0.

    Shapes:
        X: (n, d) float64
        returns: (n, n) float64, symmetric

    Raises:
        ValueError: unless 1 <= n_neighbors < n.
    """
    raise NotImplementedError("knn_heat_kernel: k nearest neighbours, symmetrise with OR, heat-kernel weights")


class LaplacianEigenmaps:
    """Laplacian eigenmaps (Belkin & Niyogi 2003) on a precomputed affinity matrix.

    Fitted attributes (set by `fit`):
        embedding_: (n, k) float64, the generalised eigenvectors of L y = lambda D y for the k
            smallest eigenvalues after the trivial 0, scaled so that y^T D y = 1 (column signs free)
        eigenvalues_: (k,) float64, their eigenvalues, ascending
    """

    def __init__(self, n_components: int = 2) -> None:
        self.n_components = n_components

    def fit(self, affinity: np.ndarray) -> LaplacianEigenmaps:
        """Fit on a symmetric, non-negative affinity matrix of a connected graph; its diagonal
        (self-loops) is ignored. Returns self.

        Shapes:
            affinity: (n, n) float64
            returns: self

        Raises:
            ValueError: unless 1 <= n_components < n.
        """
        raise NotImplementedError("LaplacianEigenmaps.fit: degrees, Laplacian, generalised eigenproblem")

    def fit_transform(self, affinity: np.ndarray) -> np.ndarray:
        """fit(affinity).embedding_.

        Shapes:
            affinity: (n, n) float64
            returns: (n, k) float64
        """
        raise NotImplementedError("LaplacianEigenmaps.fit_transform: fit, then return embedding_")
