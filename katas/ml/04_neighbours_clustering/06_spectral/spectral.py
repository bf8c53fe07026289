"""ml-04-6: spectral clustering. Edit this file; `grader check ml-04-6` tests it."""
from __future__ import annotations

import numpy as np
from scipy.linalg import eigh  # noqa: F401  (symmetric eigensolver, eigenvalues in ascending order)
from sklearn.cluster import KMeans  # noqa: F401  (k-means on the embedding)


def rbf_affinity(X: np.ndarray, gamma: float) -> np.ndarray:
    """Gaussian (RBF) affinity A_ij = exp(-gamma * ||x_i - x_j||^2), ones on the diagonal.

    Shapes:
        X: (n, d) float64
        returns: (n, n) float64, symmetric
    """
    raise NotImplementedError("rbf_affinity: exp(-gamma * squared distance)")


def normalized_laplacian(A: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Symmetric normalized graph Laplacian L = I - D^{-1/2} W D^{-1/2}, as scipy's csgraph.laplacian(normed=True).

    W is A with its diagonal set to 0 (self-loops are ignored), D = diag(row sums of W).

    Shapes:
        A: (n, n) symmetric, non-negative, every node with a positive degree
        returns: (L (n, n) float64, dd (n,) float64 = sqrt of the degrees)
    """
    raise NotImplementedError("normalized_laplacian: drop self-loops, then I - W / sqrt(d_i d_j)")


def spectral_embedding(A: np.ndarray, n_components: int) -> np.ndarray:
    """Spectral embedding as sklearn computes it (norm_laplacian=True, drop_first=False).

    Take the eigenvectors v_1..v_m of L for its m = n_components SMALLEST eigenvalues and return
    the columns u_j = D^{-1/2} v_j (the generalized eigenvectors of L_rw = I - D^{-1} W).

    Shapes:
        A: (n, n)
        returns: (n, n_components) float64; each row is a point's embedding
    """
    raise NotImplementedError("spectral_embedding: bottom eigenvectors of L, rescaled by 1/sqrt(degree)")


class SpectralClusteringModel:
    """Spectral clustering with an RBF affinity, a twin of sklearn's SpectralClustering(affinity="rbf").

    fit(X) sets:
        affinity_matrix_: (n, n) rbf_affinity(X, gamma)
        embedding_:       (n, n_clusters) spectral_embedding(affinity_matrix_, n_clusters)
        labels_:          (n,) int, KMeans(n_clusters, n_init=10, random_state=random_state) on the embedding rows
    """

    def __init__(self, n_clusters: int = 2, gamma: float = 1.0, random_state: int = 0) -> None:
        self.n_clusters = n_clusters
        self.gamma = gamma
        self.random_state = random_state

    def fit(self, X: np.ndarray) -> SpectralClusteringModel:
        """Affinity -> embedding -> k-means; returns self."""
        raise NotImplementedError("fit: affinity, embedding, k-means")

    def fit_predict(self, X: np.ndarray) -> np.ndarray:
        """fit(X) and return labels_."""
        raise NotImplementedError("fit_predict: fit, then the labels")
