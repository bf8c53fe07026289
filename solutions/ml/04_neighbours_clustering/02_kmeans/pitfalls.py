"""Plausible wrong versions of k-means++ and Lloyd's algorithm that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from kmeans import KMeansResult, squared_distances


@pitfall(replaces="kmeans_plus_plus_init", why="samples proportional to D, not D^2")
def d_not_d_squared(X: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    n = X.shape[0]
    if not 1 <= k <= n:
        raise ValueError("bad k")
    centers = [X[rng.integers(n)]]
    closest = np.sqrt(squared_distances(X, np.array(centers))[:, 0])
    for _ in range(1, k):
        idx = rng.choice(n, p=closest / closest.sum())
        centers.append(X[idx])
        closest = np.minimum(closest, np.sqrt(squared_distances(X, X[idx : idx + 1])[:, 0]))
    return np.array(centers)


@pitfall(replaces="kmeans_plus_plus_init", why="D(x) measured to the most recent centre only, not the nearest one")
def last_centre_only(X: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    n = X.shape[0]
    if not 1 <= k <= n:
        raise ValueError("bad k")
    centers = [X[rng.integers(n)]]
    for _ in range(1, k):
        d2 = squared_distances(X, centers[-1][None])[:, 0]
        centers.append(X[rng.choice(n, p=d2 / d2.sum())])
    return np.array(centers)


@pitfall(replaces="kmeans_plus_plus_init", why="always starts from X[0] instead of a uniformly random point")
def first_row_first(X: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    n = X.shape[0]
    if not 1 <= k <= n:
        raise ValueError("bad k")
    centers = np.empty((k, X.shape[1]))
    centers[0] = X[0]
    closest = squared_distances(X, centers[:1])[:, 0]
    for j in range(1, k):
        centers[j] = X[rng.choice(n, p=closest / closest.sum())]
        closest = np.minimum(closest, squared_distances(X, centers[j : j + 1])[:, 0])
    return centers


def _lloyd_variant(X: np.ndarray, init_centers: np.ndarray, max_iter: int, tol: float, *, centre_of: str = "mean",
                   sqrt_inertia: bool = False, relocate: bool = True, final_assign: bool = True) -> KMeansResult:
    X = np.asarray(X, dtype=np.float64)
    centers = np.array(init_centers, dtype=np.float64)
    k = centers.shape[0]
    labels_old = np.full(X.shape[0], -1)
    history: list[float] = []
    labels = labels_old
    n_iter = 0
    for n_iter in range(1, max_iter + 1):  # noqa: B007 (n_iter is returned)
        d2 = squared_distances(X, centers)
        labels = d2.argmin(axis=1)
        cost = d2[np.arange(len(X)), labels]
        history.append(float(np.sqrt(cost).sum() if sqrt_inertia else cost.sum()))
        m_labels = labels.copy()
        empty = np.flatnonzero(np.bincount(labels, minlength=k) == 0)
        if relocate and empty.size and cost.max() > 0:
            m_labels[np.argsort(-cost, kind="stable")[: empty.size]] = empty
        new_centers = centers.copy()
        for j in range(k):
            members = X[m_labels == j]
            if centre_of == "median":
                if len(members):
                    new_centers[j] = np.median(members, axis=0)
            else:
                new_centers[j] = members.mean(axis=0)  # NaN for an empty cluster when relocate=False
        shift = float(((new_centers - centers) ** 2).sum())
        centers = new_centers
        if np.array_equal(labels, labels_old) or shift <= tol:
            break
        labels_old = labels
    if final_assign:
        d2 = squared_distances(X, centers)
        labels = d2.argmin(axis=1)
    else:
        d2 = squared_distances(X, centers)
    cost = d2[np.arange(len(X)), labels]
    inertia = float(np.sqrt(cost).sum() if sqrt_inertia else cost.sum())
    return KMeansResult(centers, labels, inertia, n_iter, history)


@pitfall(replaces="lloyd", why="moves each centre to the median of its points instead of the mean")
def median_centres(X: np.ndarray, init_centers: np.ndarray, max_iter: int = 300, tol: float = 0.0) -> KMeansResult:
    return _lloyd_variant(X, init_centers, max_iter, tol, centre_of="median")


@pitfall(replaces="lloyd", why="inertia sums distances, not squared distances")
def sqrt_inertia(X: np.ndarray, init_centers: np.ndarray, max_iter: int = 300, tol: float = 0.0) -> KMeansResult:
    return _lloyd_variant(X, init_centers, max_iter, tol, sqrt_inertia=True)


@pitfall(replaces="lloyd", why="takes the mean of an empty cluster (NaN centre) instead of re-seeding it")
def empty_cluster_nan(X: np.ndarray, init_centers: np.ndarray, max_iter: int = 300, tol: float = 0.0) -> KMeansResult:
    with np.errstate(all="ignore"):
        return _lloyd_variant(X, init_centers, max_iter, tol, relocate=False)


@pitfall(replaces="lloyd", why="stopping on max_iter or tol returns the labels of the previous centres")
def stale_labels(X: np.ndarray, init_centers: np.ndarray, max_iter: int = 300, tol: float = 0.0) -> KMeansResult:
    return _lloyd_variant(X, init_centers, max_iter, tol, final_assign=False)


@pitfall(replaces="lloyd", why="updates the caller's init_centers in place (centers = init_centers; centers[:] = means)")
def lloyd_moves_init_in_place(X: np.ndarray, init_centers: np.ndarray, max_iter: int = 300, tol: float = 0.0) -> KMeansResult:
    X = np.asarray(X, dtype=np.float64)
    centers = init_centers  # no copy: the caller's array is updated below
    k = centers.shape[0]
    labels_old = np.full(X.shape[0], -1)
    history: list[float] = []
    n_iter = 0
    for n_iter in range(1, max_iter + 1):  # noqa: B007 (n_iter is returned)
        # E-step: nearest centre.
        d2 = squared_distances(X, centers)
        labels = d2.argmin(axis=1)
        point_cost = d2[np.arange(X.shape[0]), labels]
        history.append(float(point_cost.sum()))
        # Empty clusters take the points farthest from their centres (sklearn's rule).
        counts = np.bincount(labels, minlength=k)
        m_labels = labels.copy()
        empty = np.flatnonzero(counts == 0)
        if empty.size and point_cost.max() > 0:
            far = np.argsort(-point_cost, kind="stable")[: empty.size]
            m_labels[far] = empty
            counts = np.bincount(m_labels, minlength=k)
        # M-step: means.
        new_centers = centers.copy()
        sums = np.zeros_like(centers)
        np.add.at(sums, m_labels, X)
        filled = counts > 0
        new_centers[filled] = sums[filled] / counts[filled, None]
        shift = float(((new_centers - centers) ** 2).sum())
        centers[:] = new_centers
        if np.array_equal(labels, labels_old) or shift <= tol:
            break
        labels_old = labels
    d2 = squared_distances(X, centers)
    labels = d2.argmin(axis=1)
    inertia = float(d2[np.arange(X.shape[0]), labels].sum())
    return KMeansResult(centers, labels, inertia, n_iter, history)

