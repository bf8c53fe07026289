"""Reference solution for ml-09-2."""
from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np

EULER_GAMMA = 0.5772156649015329


class IsoTree(NamedTuple):
    """A binary tree in flat arrays, the layout of sklearn's `tree_` (given)."""

    children_left: np.ndarray  # (n_nodes,) int: index of the left child, -1 at a leaf
    children_right: np.ndarray  # (n_nodes,) int: index of the right child, -1 at a leaf
    feature: np.ndarray  # (n_nodes,) int: split feature (any value at a leaf)
    threshold: np.ndarray  # (n_nodes,) float: go left if x[feature] <= threshold
    n_node_samples: np.ndarray  # (n_nodes,) int: training samples that reached the node


def average_path_length(n: np.ndarray | int) -> np.ndarray:
    n = np.asarray(n, dtype=np.float64)
    out = np.zeros_like(n)
    out[n == 2] = 1.0
    big = n > 2
    out[big] = 2.0 * (np.log(n[big] - 1.0) + EULER_GAMMA) - 2.0 * (n[big] - 1.0) / n[big]
    return out


def path_lengths(tree: IsoTree, X: np.ndarray) -> np.ndarray:
    X = np.asarray(X, dtype=np.float64)
    out = np.empty(len(X))
    for i, x in enumerate(X):
        node, depth = 0, 0
        while tree.children_left[node] != -1:
            node = tree.children_left[node] if x[tree.feature[node]] <= tree.threshold[node] else tree.children_right[node]
            depth += 1
        out[i] = depth + average_path_length(tree.n_node_samples[node])
    return out


def anomaly_scores(trees: list[IsoTree], X: np.ndarray, psi: int) -> np.ndarray:
    mean_h = np.mean([path_lengths(t, X) for t in trees], axis=0)
    c = float(average_path_length(psi))
    if c == 0:
        return np.ones(len(X))
    return 2.0 ** (-mean_h / c)


def fit_isolation_tree(X: np.ndarray, rng: np.random.Generator, height_limit: int) -> IsoTree:
    X = np.asarray(X, dtype=np.float64)
    left: list[int] = []
    right: list[int] = []
    feat: list[int] = []
    thr: list[float] = []
    size: list[int] = []

    def grow(rows: np.ndarray, depth: int) -> int:
        node = len(left)
        left.append(-1)
        right.append(-1)
        feat.append(-2)
        thr.append(-2.0)
        size.append(len(rows))
        if depth >= height_limit or len(rows) <= 1:
            return node
        sub = X[rows]
        lo, hi = sub.min(axis=0), sub.max(axis=0)
        candidates = np.flatnonzero(hi > lo)
        if candidates.size == 0:
            return node
        q = int(candidates[rng.integers(candidates.size)])
        p = float(rng.uniform(lo[q], hi[q]))
        if p == hi[q]:  # rounded up to max: the right child would be empty (scikit-learn's rule)
            p = float(lo[q])
        go_left = sub[:, q] <= p
        feat[node], thr[node] = q, p
        left[node] = grow(rows[go_left], depth + 1)
        right[node] = grow(rows[~go_left], depth + 1)
        return node

    grow(np.arange(len(X)), 0)
    return IsoTree(np.array(left), np.array(right), np.array(feat), np.array(thr), np.array(size))


class IsolationForest:
    def __init__(self, n_estimators: int = 100, max_samples: int = 256, random_state: int | None = None) -> None:
        self.n_estimators = n_estimators
        self.max_samples = max_samples
        self.random_state = random_state

    def fit(self, X: np.ndarray) -> IsolationForest:
        X = np.asarray(X, dtype=np.float64)
        rng = np.random.default_rng(self.random_state)
        psi = min(self.max_samples, len(X))
        limit = math.ceil(math.log2(max(psi, 2)))
        self.max_samples_ = psi
        self.trees_ = [fit_isolation_tree(X[rng.choice(len(X), size=psi, replace=False)], rng, limit)
                       for _ in range(self.n_estimators)]
        return self

    def score_samples(self, X: np.ndarray) -> np.ndarray:
        return -anomaly_scores(self.trees_, X, self.max_samples_)
