"""Plausible wrong agglomerative-clustering implementations that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from agglomerative import euclidean_distances, lance_williams


@pitfall(replaces="lance_williams", why="average linkage as the plain mean (d_ka + d_kb) / 2 (WPGMA), not size-weighted")
def unweighted_average(method: str, d_ka: np.ndarray, d_kb: np.ndarray, d_ab: float, n_a: int, n_b: int,
                       n_k: np.ndarray) -> np.ndarray:
    if method == "single":
        return np.minimum(d_ka, d_kb)
    if method == "complete":
        return np.maximum(d_ka, d_kb)
    if method == "average":
        return (d_ka + d_kb) / 2
    if method == "ward":
        sq = ((n_a + n_k) * d_ka**2 + (n_b + n_k) * d_kb**2 - n_k * d_ab**2) / (n_a + n_b + n_k)
        return np.sqrt(np.maximum(sq, 0.0))
    raise ValueError(method)


@pitfall(replaces="lance_williams", why="Ward's update applied to distances instead of squared distances")
def ward_on_distances(method: str, d_ka: np.ndarray, d_kb: np.ndarray, d_ab: float, n_a: int, n_b: int,
                      n_k: np.ndarray) -> np.ndarray:
    if method == "single":
        return np.minimum(d_ka, d_kb)
    if method == "complete":
        return np.maximum(d_ka, d_kb)
    if method == "average":
        return (n_a * d_ka + n_b * d_kb) / (n_a + n_b)
    if method == "ward":
        return ((n_a + n_k) * d_ka + (n_b + n_k) * d_kb - n_k * d_ab) / (n_a + n_b + n_k)
    raise ValueError(method)


@pitfall(replaces="linkage", why="the merged cluster keeps the id of its first slot instead of getting id n + i")
def reuses_slot_id(X: np.ndarray, method: str = "single") -> np.ndarray:
    X = np.asarray(X, dtype=np.float64)
    n = X.shape[0]
    D = euclidean_distances(X)
    np.fill_diagonal(D, np.inf)
    sizes = np.ones(n, dtype=np.int64)
    active = np.ones(n, dtype=bool)
    Z = np.empty((n - 1, 4))
    for step in range(n - 1):
        masked = np.where(active[:, None] & active[None, :], D, np.inf)
        a, b = sorted(np.unravel_index(np.argmin(masked), masked.shape))
        Z[step] = [a, b, D[a, b], sizes[a] + sizes[b]]
        new = lance_williams(method, D[a], D[b], D[a, b], sizes[a], sizes[b], sizes)
        D[a, :] = new
        D[:, a] = new
        D[a, a] = np.inf
        active[b] = False
        sizes[a] += sizes[b]
    return Z


@pitfall(replaces="cut_tree", why="off by one: replays n - n_clusters + 1 merges and returns one cluster too few")
def cut_one_merge_too_many(Z: np.ndarray, n_clusters: int) -> np.ndarray:
    Z = np.asarray(Z)
    n = Z.shape[0] + 1
    parent = np.arange(2 * n - 1)

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for step in range(min(n - n_clusters + 1, n - 1)):
        a, b = int(Z[step, 0]), int(Z[step, 1])
        parent[root(a)] = n + step
        parent[root(b)] = n + step
    _, labels = np.unique([root(i) for i in range(n)], return_inverse=True)
    return labels.astype(np.int64)
