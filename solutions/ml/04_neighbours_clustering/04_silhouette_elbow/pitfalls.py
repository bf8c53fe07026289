"""Plausible wrong cluster-evaluation implementations that the tests must reject."""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from cluster_eval import euclidean_distances


def _parts(X: np.ndarray, labels: np.ndarray) -> tuple:
    X = np.asarray(X, dtype=np.float64)
    classes, y = np.unique(np.asarray(labels), return_inverse=True)
    n, c = len(y), len(classes)
    if not 2 <= c <= n - 1:
        raise ValueError("bad number of labels")
    onehot = np.eye(c)[y]
    return y, onehot.sum(0), euclidean_distances(X) @ onehot


@pitfall(replaces="silhouette_samples", why="a(i) averages over the whole own cluster, the point itself (distance 0) included")
def self_in_own_mean(X: np.ndarray, labels: np.ndarray) -> np.ndarray:
    y, sizes, sums = _parts(X, labels)
    n = len(y)
    a = sums[np.arange(n), y] / sizes[y]
    other = sums / sizes
    other[np.arange(n), y] = np.inf
    b = other.min(axis=1)
    s = (b - a) / np.maximum(a, b)
    s[sizes[y] == 1] = 0.0
    return s


@pitfall(replaces="silhouette_samples", why="b(i) is the mean distance to every point outside the cluster, not to the nearest other cluster")
def b_over_all_other_points(X: np.ndarray, labels: np.ndarray) -> np.ndarray:
    y, sizes, sums = _parts(X, labels)
    n = len(y)
    own = sizes[y]
    a = sums[np.arange(n), y] / np.maximum(own - 1, 1)
    b = (sums.sum(1) - sums[np.arange(n), y]) / (n - own)
    s = (b - a) / np.maximum(a, b)
    s[own == 1] = 0.0
    return s


@pitfall(replaces="silhouette_samples", why="a singleton gets a = 0 and so s = 1, instead of s = 0")
def singleton_scores_one(X: np.ndarray, labels: np.ndarray) -> np.ndarray:
    y, sizes, sums = _parts(X, labels)
    n = len(y)
    own = sizes[y]
    a = sums[np.arange(n), y] / np.maximum(own - 1, 1)
    other = sums / sizes
    other[np.arange(n), y] = np.inf
    b = other.min(axis=1)
    return (b - a) / np.maximum(a, b)


@pitfall(replaces="inertia", why="mean squared distance instead of the sum")
def mean_not_sum(X: np.ndarray, labels: np.ndarray) -> float:
    X = np.asarray(X, dtype=np.float64)
    labels = np.asarray(labels)
    return float(sum(((X[labels == v] - X[labels == v].mean(0)) ** 2).sum() for v in np.unique(labels)) / len(X))


@pitfall(replaces="knee_point", why="returns the position in ks instead of the k value")
def returns_index(ks: Sequence[int], inertias: Sequence[float]) -> int:
    k = np.asarray(ks, dtype=np.float64)
    y = np.asarray(inertias, dtype=np.float64)
    x = (k - k[0]) / (k[-1] - k[0])
    yn = (y - y[-1]) / (y[0] - y[-1])
    return int(np.argmax(np.abs(x + yn - 1.0)))


@pitfall(replaces="knee_point", why="largest second difference of the inertias: assumes evenly spaced ks")
def max_second_difference(ks: Sequence[int], inertias: Sequence[float]) -> int:
    y = np.asarray(inertias, dtype=np.float64)
    return int(ks[1 + int(np.argmax(y[:-2] - 2 * y[1:-1] + y[2:]))])


@pitfall(replaces="knee_point", why="argmax over the reversed distances: a tie goes to the last k; and no length checks")
def knee_tie_to_last(ks: Sequence[int], inertias: Sequence[float]) -> int:
    k, y = np.asarray(ks, dtype=np.float64), np.asarray(inertias, dtype=np.float64)
    x = (k - k[0]) / (k[-1] - k[0])
    span = y[0] - y[-1]
    yn = (y - y[-1]) / span if span != 0 else np.zeros_like(y)
    dist = np.abs(x + yn - 1.0)
    return int(ks[len(dist) - 1 - int(np.argmax(dist[::-1]))])


@pitfall(replaces="knee_point", why="no input checks: two points or unequal lengths return an answer instead of raising")
def knee_without_checks(ks: Sequence[int], inertias: Sequence[float]) -> int:
    k = np.asarray(ks, dtype=np.float64)
    y = np.asarray(inertias, dtype=np.float64)[: len(k)]
    k = k[: len(y)]
    x = (k - k[0]) / (k[-1] - k[0])
    span = y[0] - y[-1]
    yn = (y - y[-1]) / span if span != 0 else np.zeros_like(y)
    return int(ks[int(np.argmax(np.abs(x + yn - 1.0)))])
