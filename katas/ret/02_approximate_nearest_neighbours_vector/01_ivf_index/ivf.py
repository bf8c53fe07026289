"""ret-02-1: an IVF (inverted file) index. Edit this file; `grader check ret-02-1` tests it.

The coarse centroids come from k-means (for example faiss.Kmeans); the tests hand you centroids.
Distances are squared Euclidean, as in faiss.IndexFlatL2 and IndexIVFFlat.
"""
from __future__ import annotations

import numpy as np


def assign_lists(x: np.ndarray, centroids: np.ndarray) -> np.ndarray:
    """The id of the nearest centroid (smallest squared L2 distance) of every row of x.

    Shapes:
        x: (n, d); centroids: (n_lists, d); returns: (n,) int64 in 0..n_lists-1
    """
    raise NotImplementedError("assign_lists: nearest centroid of every vector")


def build_lists(assignment: np.ndarray, n_lists: int) -> list[np.ndarray]:
    """The inverted lists: lists[c] = the ids i with assignment[i] == c, in increasing order.

    Shapes:
        assignment: (n,) ints in 0..n_lists-1; returns: n_lists int64 arrays (some may be empty)
    """
    raise NotImplementedError("build_lists: group the ids by their list")


def ivf_search(queries: np.ndarray, database: np.ndarray, centroids: np.ndarray, lists: list[np.ndarray],
               k: int, nprobe: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Approximate k-NN: scan only the lists of the nprobe centroids nearest to each query.

    Within the scanned candidates the k nearest are exact (smallest squared distance first, equal
    distances in increasing id). When fewer than k candidates exist, the missing places get id -1
    and distance +inf. n_scanned[i] = the number of database vectors whose distance to query i was
    computed (the total size of its probed lists).

    Shapes:
        queries: (m, d); database: (n, d); centroids: (n_lists, d); lists: n_lists id arrays
        returns: (distances (m, k) in database's dtype, ids (m, k) int64, n_scanned (m,) int64)

    Raises:
        ValueError: if k < 1 or nprobe is outside 1..n_lists.
    """
    raise NotImplementedError("ivf_search: probe the nearest lists, then exact search among their members")


def recall_at_k(found: np.ndarray, truth: np.ndarray) -> float:
    """Mean over queries of |found[i] ∩ truth[i]| / k, where k = truth.shape[1]; -1 ids never count.

    Shapes:
        found: (m, k) ids (may contain -1); truth: (m, k) ids of the exact k nearest; returns: a float in [0, 1]
    """
    raise NotImplementedError("recall_at_k: overlap of the found ids with the exact ones")
