"""ml-04-4: silhouette score and the elbow method. Edit this file; `grader check ml-04-4` tests it."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.cluster import KMeans  # noqa: F401  (elbow_curve fits sklearn's KMeans)


def euclidean_distances(X: np.ndarray) -> np.ndarray:
    """(n, n) Euclidean distances between the rows of X (given)."""
    diff = X[:, None, :] - X[None, :, :]
    return np.sqrt(np.einsum("ijk,ijk->ij", diff, diff))


def silhouette_samples(X: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Silhouette s(i) = (b(i) - a(i)) / max(a(i), b(i)) of every point (Euclidean distances).

    a(i): mean distance from i to the *other* points of its own cluster;
    b(i): the smallest, over the other clusters, of the mean distance from i to that cluster's points.
    A point alone in its cluster has s(i) = 0.

    Shapes:
        X: (n, d) float64
        labels: (n,) any hashable, sortable labels (need not be 0..k-1)
        returns: (n,) float64 in [-1, 1]

    Raises:
        ValueError: unless 2 <= number of distinct labels <= n - 1.
    """
    raise NotImplementedError("silhouette_samples: a(i), b(i) and their normalised difference")


def silhouette_score(X: np.ndarray, labels: np.ndarray) -> float:
    """The mean of silhouette_samples(X, labels)."""
    raise NotImplementedError("silhouette_score: the mean silhouette")


def inertia(X: np.ndarray, labels: np.ndarray) -> float:
    """Within-cluster sum of squares: sum_i ||x_i - mean of x_i's cluster||^2.

    Shapes:
        X: (n, d) float64
        labels: (n,) any labels
    """
    raise NotImplementedError("inertia: squared distances to the cluster means, summed")


def elbow_curve(X: np.ndarray, ks: Sequence[int], random_state: int = 0) -> np.ndarray:
    """Inertia of a k-means clustering for every k in ks: the data behind an elbow plot.

    For each k fit KMeans(n_clusters=k, init="k-means++", n_init=1, tol=0.0,
    random_state=random_state) (sklearn's) and return `inertia(X, its labels_)`.

    Shapes:
        returns: (len(ks),) float64
    """
    raise NotImplementedError("elbow_curve: one k-means fit per k")


def knee_point(ks: Sequence[int], inertias: Sequence[float]) -> int:
    """The k at the elbow: the point farthest from the chord joining the first and last points.

    Rescale k and inertia to [0, 1] (first point -> (0, 1), last point -> (1, 0)), compute every
    point's perpendicular distance to the chord, and return the k (an element of ks, not an index)
    with the largest distance; the first one on ties.

    Shapes:
        ks: (m,) increasing ints, m >= 3 (not necessarily evenly spaced)
        inertias: (m,) float

    Raises:
        ValueError: if fewer than 3 points are given or the lengths differ.
    """
    raise NotImplementedError("knee_point: the farthest point from the chord")
