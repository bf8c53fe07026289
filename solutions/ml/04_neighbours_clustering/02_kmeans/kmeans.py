"""Reference solution for ml-04-2."""
from __future__ import annotations

from typing import NamedTuple

import numpy as np


class KMeansResult(NamedTuple):
    """What `lloyd` returns (given: you do not need to change it)."""

    centers: np.ndarray  # (k, d) float64: the final centres
    labels: np.ndarray  # (n,) int: index of the nearest final centre for every point
    inertia: float  # sum of squared distances from each point to its nearest final centre
    n_iter: int  # number of assignment + update steps that were run
    inertia_history: list[float]  # inertia of each assignment step, one per iteration


def squared_distances(X: np.ndarray, centers: np.ndarray) -> np.ndarray:
    """(n, k) squared Euclidean distances between every point and every centre (given)."""
    diff = X[:, None, :] - centers[None, :, :]
    return np.einsum("nkd,nkd->nk", diff, diff)


def kmeans_plus_plus_init(X: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    n = X.shape[0]
    if not 1 <= k <= n:
        raise ValueError(f"need 1 <= k <= n_samples, got k={k}, n={n}")
    centers = np.empty((k, X.shape[1]), dtype=np.float64)
    centers[0] = X[rng.integers(n)]
    closest = squared_distances(X, centers[:1])[:, 0]
    for j in range(1, k):
        idx = rng.choice(n, p=closest / closest.sum())
        centers[j] = X[idx]
        closest = np.minimum(closest, squared_distances(X, centers[j : j + 1])[:, 0])
    return centers


def lloyd(X: np.ndarray, init_centers: np.ndarray, max_iter: int = 300, tol: float = 0.0) -> KMeansResult:
    X = np.asarray(X, dtype=np.float64)
    centers = np.array(init_centers, dtype=np.float64)
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
        centers = new_centers
        if np.array_equal(labels, labels_old) or shift <= tol:
            break
        labels_old = labels
    d2 = squared_distances(X, centers)
    labels = d2.argmin(axis=1)
    inertia = float(d2[np.arange(X.shape[0]), labels].sum())
    return KMeansResult(centers, labels, inertia, n_iter, history)
