"""Plausible wrong versions of the neuron-dictionary functions that the tests must reject."""
from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from neuron_dictionary import _assign


def _check(x: np.ndarray, init: np.ndarray, max_iter: int) -> None:
    if x.ndim != 2 or init.ndim != 2 or init.shape[1] != x.shape[1] or len(init) == 0 or max_iter < 1:
        raise ValueError("bad input")


@pitfall(replaces="kmeans", why="returns the labels of the last assignment step, computed before the final centre update")
def stale_labels(x: np.ndarray, init: np.ndarray, max_iter: int = 100) -> tuple[np.ndarray, np.ndarray, float]:
    _check(x, init, max_iter)
    centers, labels = init.astype(np.float64), None
    for _ in range(max_iter):
        new = _assign(x, centers)
        if labels is not None and np.array_equal(new, labels):
            break
        labels = new
        centers = np.array([x[labels == j].mean(0) if (labels == j).any() else centers[j] for j in range(len(centers))])
    return labels, centers, float(((x - centers[labels]) ** 2).sum())


@pitfall(replaces="kmeans", why="updates the centres in place: the caller's init array is overwritten")
def updates_init_in_place(x: np.ndarray, init: np.ndarray, max_iter: int = 100) -> tuple[np.ndarray, np.ndarray, float]:
    _check(x, init, max_iter)
    centers, labels = init, None
    for _ in range(max_iter):
        new = _assign(x, centers)
        if labels is not None and np.array_equal(new, labels):
            break
        labels = new
        for j in range(len(centers)):
            if (labels == j).any():
                centers[j] = x[labels == j].mean(0)
    labels = _assign(x, centers)
    return labels, centers, float(((x - centers[labels]) ** 2).sum())


@pitfall(replaces="kmeans", why="an empty cluster's centre becomes mean([]) = NaN (or 0) instead of staying put")
def empty_cluster_to_zero(x: np.ndarray, init: np.ndarray, max_iter: int = 100) -> tuple[np.ndarray, np.ndarray, float]:
    _check(x, init, max_iter)
    centers, labels = init.astype(np.float64), None
    for _ in range(max_iter):
        new = _assign(x, centers)
        if labels is not None and np.array_equal(new, labels):
            break
        labels = new
        centers = np.array([x[labels == j].mean(0) if (labels == j).any() else np.zeros(x.shape[1])
                            for j in range(len(centers))])
    labels = _assign(x, centers)
    return labels, centers, float(((x - centers[labels]) ** 2).sum())


@pitfall(replaces="kmeans", why="inertia as the mean squared distance instead of the sum")
def mean_inertia(x: np.ndarray, init: np.ndarray, max_iter: int = 100) -> tuple[np.ndarray, np.ndarray, float]:
    _check(x, init, max_iter)
    centers, labels = init.astype(np.float64), None
    for _ in range(max_iter):
        new = _assign(x, centers)
        if labels is not None and np.array_equal(new, labels):
            break
        labels = new
        centers = np.array([x[labels == j].mean(0) if (labels == j).any() else centers[j] for j in range(len(centers))])
    labels = _assign(x, centers)
    return labels, centers, float(((x - centers[labels]) ** 2).sum(1).mean())


@pitfall(replaces="neuron_dictionary", why="Counter.most_common: ties come out in first-seen order, not by character")
def most_common_ties(labels: np.ndarray, chars: list[str], k: int, top: int = 3) -> list[list[tuple[str, int]]]:
    if len(labels) != len(chars) or top < 1:
        raise ValueError("bad input")
    return [Counter(c for c, lab in zip(chars, labels, strict=True) if lab == j).most_common(top) for j in range(k)]


@pitfall(replaces="neuron_dictionary", why="lists only the clusters that occur: an empty cluster is dropped, shifting the rest")
def skips_empty_clusters(labels: np.ndarray, chars: list[str], k: int, top: int = 3) -> list[list[tuple[str, int]]]:
    if len(labels) != len(chars) or top < 1:
        raise ValueError("bad input")
    out = []
    for j in np.unique(labels):
        counts = Counter(c for c, lab in zip(chars, labels, strict=True) if lab == j)
        out.append(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top])
    return out


@pitfall(replaces="purity", why="averages the clusters' purities instead of weighting them by size")
def unweighted_purity(labels: np.ndarray, chars: list[str]) -> float:
    if len(labels) != len(chars) or len(labels) == 0:
        raise ValueError("bad input")
    per = []
    for j in np.unique(labels):
        members = [c for c, lab in zip(chars, labels, strict=True) if lab == j]
        per.append(Counter(members).most_common(1)[0][1] / len(members))
    return float(np.mean(per))
