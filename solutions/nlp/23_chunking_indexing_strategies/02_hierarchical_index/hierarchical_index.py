"""Reference solution for nlp-23-2."""
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
    def __init__(self, centroids: np.ndarray) -> None:
        self.centroids = np.asarray(centroids, dtype=np.float64)
        self.lists: list[list[int]] = [[] for _ in range(len(self.centroids))]
        self.vectors = np.zeros((0, self.centroids.shape[1]))

    def add(self, vectors: np.ndarray) -> None:
        vectors = np.asarray(vectors, dtype=np.float64)
        start = len(self.vectors)
        self.vectors = np.concatenate([self.vectors, vectors])
        for i, c in enumerate(squared_distances(vectors, self.centroids).argmin(1)):
            self.lists[int(c)].append(start + i)

    def search(self, queries: np.ndarray, k: int, n_probe: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        if k < 1 or not 1 <= n_probe <= len(self.centroids):
            raise ValueError(f"need k >= 1 and 1 <= n_probe <= {len(self.centroids)}, got {k=}, {n_probe=}")
        queries = np.asarray(queries, dtype=np.float64)
        dist = np.full((len(queries), k), np.inf)
        ids = np.full((len(queries), k), -1, dtype=np.int64)
        scanned = np.zeros(len(queries), dtype=np.int64)
        cd = squared_distances(queries, self.centroids)
        for qi, q in enumerate(queries):
            probe = np.argsort(cd[qi], kind="stable")[:n_probe]
            cand = np.array(sorted(i for c in probe for i in self.lists[c]), dtype=np.int64)
            scanned[qi] = len(cand)
            if len(cand) == 0:
                continue
            d = squared_distances(q[None], self.vectors[cand])[0]
            order = np.lexsort((cand, d))[:k]
            dist[qi, :len(order)], ids[qi, :len(order)] = d[order], cand[order]
        return dist, ids, scanned


def recall_at_k(found: np.ndarray, truth: np.ndarray) -> float:
    found, truth = np.asarray(found), np.asarray(truth)
    hits = [len(set(f[f >= 0].tolist()) & set(t.tolist())) / truth.shape[1] for f, t in zip(found, truth, strict=True)]
    return float(np.mean(hits))


def probe_curve(index: HierarchicalIndex, queries: np.ndarray, truth: np.ndarray, k: int,
                n_probes: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    recalls, costs = [], []
    for n in n_probes:
        _, ids, scanned = index.search(queries, k, n)
        recalls.append(recall_at_k(ids, truth))
        costs.append(float(scanned.mean()))
    return np.array(recalls), np.array(costs)
