"""Plausible wrong IVF implementations that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from ivf import _sq_dists


def _search(queries: np.ndarray, database: np.ndarray, probes: np.ndarray, lists: list[np.ndarray],
            k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    m = len(queries)
    dists = np.full((m, k), np.inf, dtype=database.dtype)
    ids = np.full((m, k), -1)
    scanned = np.zeros(m, dtype=np.int64)
    for i in range(m):
        cand = np.sort(np.concatenate([lists[c] for c in probes[i]]))
        scanned[i] = len(cand)
        d = _sq_dists(queries[i:i + 1], database[cand])[0]
        best = np.argsort(d, kind="stable")[:k]
        dists[i, :len(best)] = d[best]
        ids[i, :len(best)] = cand[best]
    return dists, ids, scanned


@pitfall(replaces="assign_lists", why="nearest centroid by largest inner product, not smallest distance")
def by_inner_product(x: np.ndarray, centroids: np.ndarray) -> np.ndarray:
    return np.argmax(x @ centroids.T, axis=1)


@pitfall(replaces="build_lists", why="lists in the order of the centroids' members found by a set: ids unsorted")
def unsorted_lists(assignment: np.ndarray, n_lists: int) -> list[np.ndarray]:
    return [np.flatnonzero(assignment == c)[::-1] for c in range(n_lists)]


@pitfall(replaces="ivf_search", why="probes the nprobe farthest centroids (descending sort)")
def farthest_lists(queries: np.ndarray, database: np.ndarray, centroids: np.ndarray, lists: list[np.ndarray],
                   k: int, nprobe: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if k < 1 or not 1 <= nprobe <= len(centroids):
        raise ValueError("bad")
    probes = np.argsort(-_sq_dists(queries, centroids), axis=1, kind="stable")[:, :nprobe]
    return _search(queries, database, probes, lists, k)


@pitfall(replaces="ivf_search", why="skips the nearest list: probes ranks 2..nprobe+1 (off by one)")
def skips_nearest(queries: np.ndarray, database: np.ndarray, centroids: np.ndarray, lists: list[np.ndarray],
                  k: int, nprobe: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if k < 1 or not 1 <= nprobe <= len(centroids):
        raise ValueError("bad")
    order = np.argsort(_sq_dists(queries, centroids), axis=1, kind="stable")
    probes = np.concatenate([order[:, 1:nprobe + 1], order[:, :max(0, nprobe - order.shape[1] + 1)]], axis=1)
    return _search(queries, database, probes, lists, k)


@pitfall(replaces="ivf_search", why="reports the number of probed lists as the scan count")
def counts_lists(queries: np.ndarray, database: np.ndarray, centroids: np.ndarray, lists: list[np.ndarray],
                 k: int, nprobe: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if k < 1 or not 1 <= nprobe <= len(centroids):
        raise ValueError("bad")
    probes = np.argsort(_sq_dists(queries, centroids), axis=1, kind="stable")[:, :nprobe]
    dists, ids, _ = _search(queries, database, probes, lists, k)
    return dists, ids, np.full(len(queries), nprobe, dtype=np.int64)


@pitfall(replaces="ivf_search", why="returns Euclidean distances, IndexIVFFlat returns them squared")
def sqrt_distances(queries: np.ndarray, database: np.ndarray, centroids: np.ndarray, lists: list[np.ndarray],
                   k: int, nprobe: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if k < 1 or not 1 <= nprobe <= len(centroids):
        raise ValueError("bad")
    probes = np.argsort(_sq_dists(queries, centroids), axis=1, kind="stable")[:, :nprobe]
    dists, ids, scanned = _search(queries, database, probes, lists, k)
    return np.sqrt(dists), ids, scanned


@pitfall(replaces="ivf_search", why="returns positions inside the candidate list instead of database ids")
def local_ids(queries: np.ndarray, database: np.ndarray, centroids: np.ndarray, lists: list[np.ndarray],
              k: int, nprobe: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if k < 1 or not 1 <= nprobe <= len(centroids):
        raise ValueError("bad")
    probes = np.argsort(_sq_dists(queries, centroids), axis=1, kind="stable")[:, :nprobe]
    m = len(queries)
    dists = np.full((m, k), np.inf, dtype=database.dtype)
    ids = np.full((m, k), -1)
    scanned = np.zeros(m, dtype=np.int64)
    for i in range(m):
        cand = np.sort(np.concatenate([lists[c] for c in probes[i]]))
        scanned[i] = len(cand)
        d = _sq_dists(queries[i:i + 1], database[cand])[0]
        best = np.argsort(d, kind="stable")[:k]
        dists[i, :len(best)] = d[best]
        ids[i, :len(best)] = best
    return dists, ids, scanned


@pitfall(replaces="recall_at_k", why="divides by the number of valid (non -1) found ids instead of k")
def recall_over_found(found: np.ndarray, truth: np.ndarray) -> float:
    vals = []
    for f, t in zip(found, truth, strict=True):
        valid = f[f >= 0]
        vals.append(len(set(valid.tolist()) & set(t.tolist())) / max(len(valid), 1))
    return float(np.mean(vals))


@pitfall(replaces="recall_at_k", why="counts positions where found and truth agree, not the overlap of the sets")
def positional_recall(found: np.ndarray, truth: np.ndarray) -> float:
    return float(np.mean(found == truth))
