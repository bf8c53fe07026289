"""ml-04-3: hierarchical agglomerative clustering. Edit this file; `grader check ml-04-3` tests it."""
from __future__ import annotations

import numpy as np

METHODS = ("single", "complete", "average", "ward")


def euclidean_distances(X: np.ndarray) -> np.ndarray:
    """(n, n) Euclidean distances between the rows of X (given)."""
    diff = X[:, None, :] - X[None, :, :]
    return np.sqrt(np.einsum("ijk,ijk->ij", diff, diff))


def lance_williams(method: str, d_ka: np.ndarray, d_kb: np.ndarray, d_ab: float, n_a: int, n_b: int,
                   n_k: np.ndarray) -> np.ndarray:
    """Distance from clusters k to the merged cluster a ∪ b, from the distances before the merge.

    single:   min(d_ka, d_kb)
    complete: max(d_ka, d_kb)
    average:  (n_a d_ka + n_b d_kb) / (n_a + n_b)                          (UPGMA: size-weighted)
    ward:     sqrt(((n_a + n_k) d_ka² + (n_b + n_k) d_kb² − n_k d_ab²) / (n_a + n_b + n_k))

    Shapes:
        d_ka, d_kb, n_k: (m,) one entry per other cluster k (float64, float64, int)
        d_ab: scalar distance between a and b; n_a, n_b: their sizes
        returns: (m,) float64

    Raises:
        ValueError: for a method not in METHODS.
    """
    raise NotImplementedError("lance_williams: the update for each linkage")


def linkage(X: np.ndarray, method: str = "single") -> np.ndarray:
    """Agglomerative clustering of the rows of X, returned as a SciPy linkage matrix.

    Start with n singleton clusters with ids 0..n-1 at Euclidean distances. Repeatedly merge the
    two closest clusters; the cluster made by merge i (0-based) gets id n + i. Row i of Z is
    [smaller id, larger id, distance between the two merged clusters, size of the new cluster].
    Distances to a merged cluster come from `lance_williams`.

    Shapes:
        X: (n, d) float64, n >= 2
        returns: (n - 1, 4) float64, rows in merge order (non-decreasing heights)

    Raises:
        ValueError: for an unknown method or fewer than 2 points.
    """
    raise NotImplementedError("linkage: n - 1 closest-pair merges")


def cut_tree(Z: np.ndarray, n_clusters: int) -> np.ndarray:
    """Flat clusters: replay the first n - n_clusters merges of Z and label the groups.

    Shapes:
        Z: (n - 1, 4) linkage matrix (yours or SciPy's)
        returns: (n,) int64 labels in 0..n_clusters-1 (which group gets which number is up to you)

    Raises:
        ValueError: unless 1 <= n_clusters <= n.
    """
    raise NotImplementedError("cut_tree: undo the last n_clusters - 1 merges")
