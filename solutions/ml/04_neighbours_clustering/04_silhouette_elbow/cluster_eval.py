"""Reference solution for ml-04-4."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sklearn.cluster import KMeans


def euclidean_distances(X: np.ndarray) -> np.ndarray:
    """(n, n) Euclidean distances between the rows of X (given)."""
    diff = X[:, None, :] - X[None, :, :]
    return np.sqrt(np.einsum("ijk,ijk->ij", diff, diff))


def silhouette_samples(X: np.ndarray, labels: np.ndarray) -> np.ndarray:
    X = np.asarray(X, dtype=np.float64)
    classes, y = np.unique(np.asarray(labels), return_inverse=True)
    n, c = len(y), len(classes)
    if not 2 <= c <= n - 1:
        raise ValueError(f"need 2 <= n_labels <= n_samples - 1, got {c} labels for {n} samples")
    D = euclidean_distances(X)
    onehot = np.eye(c)[y]  # (n, c)
    sizes = onehot.sum(0)
    sums = D @ onehot  # (n, c): total distance from each point to each cluster
    own = sizes[y]
    a = sums[np.arange(n), y] / np.maximum(own - 1, 1)
    mean_other = sums / sizes
    mean_other[np.arange(n), y] = np.inf
    b = mean_other.min(axis=1)
    s = (b - a) / np.maximum(a, b)
    s[own == 1] = 0.0
    return s


def silhouette_score(X: np.ndarray, labels: np.ndarray) -> float:
    return float(np.mean(silhouette_samples(X, labels)))


def inertia(X: np.ndarray, labels: np.ndarray) -> float:
    X = np.asarray(X, dtype=np.float64)
    _, y = np.unique(np.asarray(labels), return_inverse=True)
    total = 0.0
    for j in range(y.max() + 1):
        P = X[y == j]
        total += float(((P - P.mean(axis=0)) ** 2).sum())
    return total


def elbow_curve(X: np.ndarray, ks: Sequence[int], random_state: int = 0) -> np.ndarray:
    out = []
    for k in ks:
        km = KMeans(n_clusters=k, init="k-means++", n_init=1, tol=0.0, random_state=random_state).fit(X)
        out.append(inertia(X, km.labels_))
    return np.array(out, dtype=np.float64)


def knee_point(ks: Sequence[int], inertias: Sequence[float]) -> int:
    k = np.asarray(ks, dtype=np.float64)
    y = np.asarray(inertias, dtype=np.float64)
    if len(k) < 3 or len(k) != len(y):
        raise ValueError("need at least 3 (k, inertia) pairs of equal length")
    x = (k - k[0]) / (k[-1] - k[0])
    span = y[0] - y[-1]
    yn = (y - y[-1]) / span if span != 0 else np.zeros_like(y)
    # Chord from (0, 1) to (1, 0): distance of (x, y) is |x + y - 1| / sqrt(2).
    dist = np.abs(x + yn - 1.0) / np.sqrt(2.0)
    return int(ks[int(np.argmax(dist))])
