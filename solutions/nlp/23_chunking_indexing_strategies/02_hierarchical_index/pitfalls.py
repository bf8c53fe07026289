"""Plausible wrong hierarchical indexes that the tests must reject."""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from hierarchical_index import HierarchicalIndex, recall_at_k, squared_distances


@pitfall(replaces="HierarchicalIndex.add", why="restarts ids at 0 on every add call")
def ids_restart(self, vectors: np.ndarray) -> None:  # noqa: ANN001
    vectors = np.asarray(vectors, dtype=np.float64)
    self.vectors = np.concatenate([self.vectors, vectors])
    for i, c in enumerate(squared_distances(vectors, self.centroids).argmin(1)):
        self.lists[int(c)].append(i)


@pitfall(replaces="HierarchicalIndex.search", why="probes the n_probe farthest centroids (sorts the centroid "
         "distances in descending order)")
def farthest_lists(self, queries: np.ndarray, k: int, n_probe: int) -> tuple:  # noqa: ANN001
    if k < 1 or not 1 <= n_probe <= len(self.centroids):
        raise ValueError("args")
    queries = np.asarray(queries, dtype=np.float64)
    dist, ids = np.full((len(queries), k), np.inf), np.full((len(queries), k), -1, dtype=np.int64)
    scanned = np.zeros(len(queries), dtype=np.int64)
    cd = squared_distances(queries, self.centroids)
    for qi, q in enumerate(queries):
        probe = np.argsort(-cd[qi], kind="stable")[:n_probe]
        cand = np.array(sorted(i for c in probe for i in self.lists[c]), dtype=np.int64)
        scanned[qi] = len(cand)
        if len(cand):
            d = squared_distances(q[None], self.vectors[cand])[0]
            order = np.lexsort((cand, d))[:k]
            dist[qi, :len(order)], ids[qi, :len(order)] = d[order], cand[order]
    return dist, ids, scanned


@pitfall(replaces="HierarchicalIndex.search", why="returns Euclidean distances instead of squared ones")
def sqrt_distances(self, queries: np.ndarray, k: int, n_probe: int) -> tuple:  # noqa: ANN001
    if k < 1 or not 1 <= n_probe <= len(self.centroids):
        raise ValueError("args")
    queries = np.asarray(queries, dtype=np.float64)
    dist, ids = np.full((len(queries), k), np.inf), np.full((len(queries), k), -1, dtype=np.int64)
    scanned = np.zeros(len(queries), dtype=np.int64)
    cd = squared_distances(queries, self.centroids)
    for qi, q in enumerate(queries):
        probe = np.argsort(cd[qi], kind="stable")[:n_probe]
        cand = np.array(sorted(i for c in probe for i in self.lists[c]), dtype=np.int64)
        scanned[qi] = len(cand)
        if len(cand):
            d = np.sqrt(squared_distances(q[None], self.vectors[cand])[0])
            order = np.lexsort((cand, d))[:k]
            dist[qi, :len(order)], ids[qi, :len(order)] = d[order], cand[order]
    return dist, ids, scanned


@pitfall(replaces="recall_at_k", why="counts the padding id -1 as a retrieved item (divides by the found count)")
def divides_by_found(found: np.ndarray, truth: np.ndarray) -> float:
    return float(np.mean([len(set(f[f >= 0].tolist()) & set(t.tolist())) / max(int((f >= 0).sum()), 1)
                          for f, t in zip(found, truth, strict=True)]))


@pitfall(replaces="probe_curve", why="reports the total scanned over all queries, not the mean")
def total_cost(index: HierarchicalIndex, queries: np.ndarray, truth: np.ndarray, k: int,
               n_probes: Sequence[int]) -> tuple[np.ndarray, np.ndarray]:
    recalls, costs = [], []
    for n in n_probes:
        _, ids, scanned = index.search(queries, k, n)
        recalls.append(recall_at_k(ids, truth))
        costs.append(float(scanned.sum()))
    return np.array(recalls), np.array(costs)
