"""Plausible wrong Isolation Forest pieces that the tests must reject."""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from iforest import (
        EULER_GAMMA,
        IsolationForest,
        IsoTree,
        anomaly_scores,
        average_path_length,
        fit_isolation_tree,
    )


@pitfall(replaces="average_path_length", why="H(i) ~ ln(i) without Euler's constant")
def no_euler_gamma(n: np.ndarray | int) -> np.ndarray:
    n = np.asarray(n, dtype=np.float64)
    out = np.zeros_like(n)
    out[n == 2] = 1.0
    big = n > 2
    out[big] = 2.0 * np.log(n[big] - 1.0) - 2.0 * (n[big] - 1.0) / n[big]
    return out


@pitfall(replaces="average_path_length", why="H(n) instead of H(n - 1)")
def harmonic_of_n(n: np.ndarray | int) -> np.ndarray:
    n = np.asarray(n, dtype=np.float64)
    out = np.zeros_like(n)
    out[n == 2] = 1.0
    big = n > 2
    out[big] = 2.0 * (np.log(n[big]) + EULER_GAMMA) - 2.0 * (n[big] - 1.0) / n[big]
    return out


def _walk(tree: IsoTree, X: np.ndarray, *, add_c: bool = True, count_nodes: bool = False) -> np.ndarray:
    out = np.empty(len(X))
    for i, x in enumerate(np.asarray(X, dtype=np.float64)):
        node, depth = 0, 1 if count_nodes else 0
        while tree.children_left[node] != -1:
            node = tree.children_left[node] if x[tree.feature[node]] <= tree.threshold[node] else tree.children_right[node]
            depth += 1
        out[i] = depth + (average_path_length(tree.n_node_samples[node]) if add_c else 0.0)
    return out


@pitfall(replaces="path_lengths", why="depth of the leaf only: forgets c(size) for unsplit points at the height limit")
def depth_only(tree: IsoTree, X: np.ndarray) -> np.ndarray:
    return _walk(tree, X, add_c=False)


@pitfall(replaces="path_lengths", why="counts nodes on the path instead of edges (root has depth 1)")
def counts_nodes(tree: IsoTree, X: np.ndarray) -> np.ndarray:
    return _walk(tree, X, count_nodes=True)


@pitfall(replaces="fit_isolation_tree", why="draws the threshold over the whole data set's range, not the node's")
def global_range_threshold(X: np.ndarray, rng: np.random.Generator, height_limit: int) -> IsoTree:
    X = np.asarray(X, dtype=np.float64)
    glo, ghi = X.min(axis=0), X.max(axis=0)
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
        sub = X[rows]
        candidates = np.flatnonzero(sub.max(axis=0) > sub.min(axis=0))
        if depth >= height_limit or len(rows) <= 1 or candidates.size == 0:
            return node
        q = int(candidates[rng.integers(candidates.size)])
        p = float(rng.uniform(glo[q], ghi[q]))
        go_left = sub[:, q] <= p
        feat[node], thr[node] = q, p
        left[node] = grow(rows[go_left], depth + 1)
        right[node] = grow(rows[~go_left], depth + 1)
        return node

    grow(np.arange(len(X)), 0)
    return IsoTree(np.array(left), np.array(right), np.array(feat), np.array(thr), np.array(size))


@pitfall(replaces="fit_isolation_tree", why="keeps a threshold that rounded up to the node's max: an empty right child")
def threshold_rounded_to_max(X: np.ndarray, rng: np.random.Generator, height_limit: int) -> IsoTree:
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
        sub = X[rows]
        lo, hi = sub.min(axis=0), sub.max(axis=0)
        candidates = np.flatnonzero(hi > lo)
        if depth >= height_limit or len(rows) <= 1 or candidates.size == 0:
            return node
        q = int(candidates[rng.integers(candidates.size)])
        p = float(rng.uniform(lo[q], hi[q]))
        go_left = sub[:, q] <= p
        feat[node], thr[node] = q, p
        left[node] = grow(rows[go_left], depth + 1)
        right[node] = grow(rows[~go_left], depth + 1)
        return node

    grow(np.arange(len(X)), 0)
    return IsoTree(np.array(left), np.array(right), np.array(feat), np.array(thr), np.array(size))


@pitfall(replaces="IsolationForest.fit", why="every tree on the full data set and normalised by c(n), not a subsample of psi")
def no_subsampling(self: IsolationForest, X: np.ndarray) -> IsolationForest:
    X = np.asarray(X, dtype=np.float64)
    rng = np.random.default_rng(self.random_state)
    self.max_samples_ = len(X)
    limit = math.ceil(math.log2(max(min(self.max_samples, len(X)), 2)))
    self.trees_ = [fit_isolation_tree(X, rng, limit) for _ in range(self.n_estimators)]
    return self


@pitfall(replaces="IsolationForest.score_samples", why="returns the anomaly score itself: higher = more anomalous, sklearn's sign reversed")
def positive_score(self: IsolationForest, X: np.ndarray) -> np.ndarray:
    return anomaly_scores(self.trees_, X, self.max_samples_)


@pitfall(replaces="IsolationForest.fit", why="subsamples with the global np.random.choice: the same random_state gives "
         "other subsamples on every fit")
def global_rng_subsample(self: IsolationForest, X: np.ndarray) -> IsolationForest:
    X = np.asarray(X, dtype=np.float64)
    rng = np.random.default_rng(self.random_state)
    psi = min(self.max_samples, len(X))
    limit = math.ceil(math.log2(max(psi, 2)))
    self.max_samples_ = psi
    self.trees_ = [fit_isolation_tree(X[np.random.choice(len(X), size=psi, replace=False)], rng, limit)
                   for _ in range(self.n_estimators)]
    return self

