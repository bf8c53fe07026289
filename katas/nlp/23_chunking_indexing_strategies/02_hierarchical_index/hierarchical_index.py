"""nlp-23-2: a hierarchical (inverted-file) index; recall@k across probe depths. Edit this file;
`grader check nlp-23-2` tests it."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def train_centroids(x: np.ndarray, n_clusters: int, n_iter: int, seed: int) -> np.ndarray:
    """Given: Lloyd's k-means (float64), initial centroids a seeded random sample of the points."""
    rng = np.random.default_rng(seed)
    c = x[rng.choice(len(x), n_clusters, replace=False)].astype(np.float64)
    for _ in range(n_iter):
        assign = squared_distances(x, c).argmin(1)
        for j in range(n_clusters):
            if np.any(assign == j):
                c[j] = x[assign == j].mean(0)
    return c


def squared_distances(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Given: all squared L2 distances between rows of a (n, d) and rows of b (m, d), float64 (n, m)."""
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    return ((a[:, None, :] - b[None, :, :]) ** 2).sum(-1)


class HierarchicalIndex:
    """A two-level index (an IVF index): centroids at the top, one list of vector ids per centroid below.

    add(vectors (n, d)): ids continue from the vectors already added (0, 1, 2, ...); each vector goes to the
        list of its nearest centroid (squared L2; ties to the lower centroid).
    search(queries (m, d), k, n_probe) -> (distances (m, k) float64, ids (m, k) int64, scanned (m,) int64):
        for each query, the n_probe nearest centroids (ties to the lower index); exact squared-L2 search among
        the vectors in their lists; the k nearest, closest first (ties to the lower id); fewer than k
        candidates pad with distance inf and id -1; scanned = number of candidates compared.
        Raises ValueError unless k >= 1 and 1 <= n_probe <= number of centroids.
    """

    def __init__(self, centroids: np.ndarray) -> None:
        raise NotImplementedError("HierarchicalIndex.__init__: centroids and one empty list per centroid")

    def add(self, vectors: np.ndarray) -> None:
        raise NotImplementedError("HierarchicalIndex.add: assign to the nearest centroid")

    def search(self, queries: np.ndarray, k: int, n_probe: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        raise NotImplementedError("HierarchicalIndex.search: probe the nearest lists, search them exactly")


def recall_at_k(found: np.ndarray, truth: np.ndarray) -> float:
    """Mean over queries of |found ∩ truth| / k, ids -1 (padding) ignored. Shapes: found, truth (m, k)."""
    raise NotImplementedError("recall_at_k: set intersection per query")


def probe_curve(index: HierarchicalIndex, queries: np.ndarray, truth: np.ndarray, k: int,
                n_probes: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    """For every n_probe: (recall_at_k of index.search(queries, k, n_probe) against truth, mean vectors scanned)."""
    raise NotImplementedError("probe_curve: recall and cost for each probe depth")
