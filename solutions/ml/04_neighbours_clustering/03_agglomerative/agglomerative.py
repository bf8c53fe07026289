"""Reference solution for ml-04-3."""
from __future__ import annotations

import numpy as np

METHODS = ("single", "complete", "average", "ward")


def euclidean_distances(X: np.ndarray) -> np.ndarray:
    """(n, n) Euclidean distances between the rows of X (given)."""
    diff = X[:, None, :] - X[None, :, :]
    return np.sqrt(np.einsum("ijk,ijk->ij", diff, diff))


def lance_williams(method: str, d_ka: np.ndarray, d_kb: np.ndarray, d_ab: float, n_a: int, n_b: int,
                   n_k: np.ndarray) -> np.ndarray:
    if method == "single":
        return np.minimum(d_ka, d_kb)
    if method == "complete":
        return np.maximum(d_ka, d_kb)
    if method == "average":
        return (n_a * d_ka + n_b * d_kb) / (n_a + n_b)
    if method == "ward":
        total = n_a + n_b + n_k
        sq = ((n_a + n_k) * d_ka**2 + (n_b + n_k) * d_kb**2 - n_k * d_ab**2) / total
        return np.sqrt(np.maximum(sq, 0.0))
    raise ValueError(f"unknown method {method!r}; expected one of {METHODS}")


def linkage(X: np.ndarray, method: str = "single") -> np.ndarray:
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; expected one of {METHODS}")
    X = np.asarray(X, dtype=np.float64)
    n = X.shape[0]
    if n < 2:
        raise ValueError(f"need at least 2 points, got {n}")
    D = euclidean_distances(X)
    np.fill_diagonal(D, np.inf)
    ids = np.arange(n)  # cluster id held in each slot
    sizes = np.ones(n, dtype=np.int64)
    active = np.ones(n, dtype=bool)
    Z = np.empty((n - 1, 4), dtype=np.float64)
    for step in range(n - 1):
        masked = np.where(active[:, None] & active[None, :], D, np.inf)
        a, b = np.unravel_index(np.argmin(masked), masked.shape)
        a, b = min(a, b), max(a, b)
        d_ab = D[a, b]
        Z[step] = [min(ids[a], ids[b]), max(ids[a], ids[b]), d_ab, sizes[a] + sizes[b]]
        new = lance_williams(method, D[a], D[b], d_ab, sizes[a], sizes[b], sizes)
        D[a, :] = new
        D[:, a] = new
        D[a, a] = np.inf
        active[b] = False
        sizes[a] += sizes[b]
        ids[a] = n + step
    return Z


def cut_tree(Z: np.ndarray, n_clusters: int) -> np.ndarray:
    Z = np.asarray(Z)
    n = Z.shape[0] + 1
    if not 1 <= n_clusters <= n:
        raise ValueError(f"need 1 <= n_clusters <= {n}, got {n_clusters}")
    parent = np.arange(2 * n - 1)

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for step in range(n - n_clusters):
        a, b = int(Z[step, 0]), int(Z[step, 1])
        parent[root(a)] = n + step
        parent[root(b)] = n + step
    roots = [root(i) for i in range(n)]
    _, labels = np.unique(roots, return_inverse=True)
    return labels.astype(np.int64)
