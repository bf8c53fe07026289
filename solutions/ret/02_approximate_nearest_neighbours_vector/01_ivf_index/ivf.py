"""Reference solution for ret-02-1."""
from __future__ import annotations

import numpy as np


def _sq_dists(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return ((a[:, None, :] - b[None, :, :]) ** 2).sum(axis=-1)


def assign_lists(x: np.ndarray, centroids: np.ndarray) -> np.ndarray:
    return np.argmin(_sq_dists(x, centroids), axis=1)


def build_lists(assignment: np.ndarray, n_lists: int) -> list[np.ndarray]:
    return [np.flatnonzero(assignment == c) for c in range(n_lists)]


def ivf_search(queries: np.ndarray, database: np.ndarray, centroids: np.ndarray, lists: list[np.ndarray],
               k: int, nprobe: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    n_lists = len(centroids)
    if k < 1 or not 1 <= nprobe <= n_lists:
        raise ValueError(f"need k >= 1 and 1 <= nprobe <= {n_lists}, got {k=}, {nprobe=}")
    m = len(queries)
    dists = np.full((m, k), np.inf, dtype=database.dtype)
    ids = np.full((m, k), -1)
    scanned = np.zeros(m, dtype=np.int64)
    probes = np.argsort(_sq_dists(queries, centroids), axis=1, kind="stable")[:, :nprobe]
    for i in range(m):
        cand = np.sort(np.concatenate([np.zeros(0, dtype=np.int64), *(lists[c] for c in probes[i])]))
        scanned[i] = len(cand)
        d = ((database[cand] - queries[i]) ** 2).sum(axis=1)
        best = np.argsort(d, kind="stable")[:k]
        dists[i, :len(best)] = d[best]
        ids[i, :len(best)] = cand[best]
    return dists, ids, scanned


def recall_at_k(found: np.ndarray, truth: np.ndarray) -> float:
    k = truth.shape[1]
    hits = [len(set(f.tolist()) & set(t.tolist())) for f, t in zip(found, truth, strict=True)]  # -1 is never true
    return float(np.mean(hits)) / k
