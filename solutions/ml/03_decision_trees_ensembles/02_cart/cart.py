"""Reference solution for ml-03-2."""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

TREE_LEAF = -1  # children_left_/children_right_ of a leaf (as in sklearn's tree_)
TREE_UNDEFINED = -2  # feature_ and threshold_ of a leaf (as in sklearn's tree_)


class Split(NamedTuple):
    """What `best_split` returns (given: you do not need to change it)."""

    feature: int  # column of X to split on
    threshold: float  # samples with X[:, feature] <= threshold go left
    improvement: float  # impurity decrease I(t) - W_L/W I(L) - W_R/W I(R) of the node


def node_impurity(class_weights: np.ndarray, criterion: str) -> np.ndarray:
    """Gini or entropy (bits) of nodes given their per-class weights (given).

    Shapes:
        class_weights: (..., K) non-negative class weights of each node
        returns: (...,) impurities (0 for an empty node)
    """
    total = class_weights.sum(axis=-1, keepdims=True)
    p = np.divide(class_weights, total, out=np.zeros_like(class_weights, dtype=np.float64), where=total > 0)
    if criterion == "gini":
        return np.where(total[..., 0] > 0, 1.0 - np.sum(p * p, axis=-1), 0.0)
    if criterion == "entropy":
        logp = np.log2(np.where(p > 0, p, 1.0))
        return -np.sum(p * logp, axis=-1)
    raise ValueError(f"unknown criterion {criterion!r}")


def best_split(X: np.ndarray, y: np.ndarray, sample_weight: np.ndarray | None = None, criterion: str = "gini",
               min_samples_leaf: int = 1) -> Split | None:
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y)
    n, d = X.shape
    w = np.ones(n) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    if n < 2 * min_samples_leaf:
        return None
    _, codes = np.unique(y, return_inverse=True)
    codes = codes.ravel()
    onehot = np.zeros((n, codes.max() + 1))
    onehot[np.arange(n), codes] = w
    parent = onehot.sum(axis=0)
    W = parent.sum()
    parent_imp = float(node_impurity(parent, criterion))
    best: Split | None = None
    for j in range(d):
        order = np.argsort(X[:, j], kind="stable")
        xs = X[order, j]
        left = np.cumsum(onehot[order], axis=0)[:-1]  # left class weights for split after position p-1
        right = parent - left
        p = np.arange(1, n)
        valid = (xs[1:] > xs[:-1]) & (p >= min_samples_leaf) & (n - p >= min_samples_leaf)
        if not valid.any():
            continue
        wl, wr = left.sum(axis=1), right.sum(axis=1)
        gain = parent_imp - wl / W * node_impurity(left, criterion) - wr / W * node_impurity(right, criterion)
        gain = np.where(valid, gain, -np.inf)
        k = int(np.argmax(gain))
        if best is None or gain[k] > best.improvement:
            best = Split(j, float(xs[k] / 2.0 + xs[k + 1] / 2.0), float(gain[k]))
    return best


class CARTClassifier:
    """A CART classification tree grown depth-first, numbered in preorder like sklearn's tree_."""

    def __init__(self, criterion: str = "gini", max_depth: int | None = None, min_samples_split: int = 2,
                 min_samples_leaf: int = 1) -> None:
        self.criterion = criterion
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf

    def fit(self, X: np.ndarray, y: np.ndarray, sample_weight: np.ndarray | None = None) -> CARTClassifier:
        X = np.asarray(X, dtype=np.float64)
        y = np.asarray(y)
        w = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
        self.classes_, codes = np.unique(y, return_inverse=True)
        codes = codes.ravel()
        self.n_classes_ = len(self.classes_)
        left: list[int] = []
        right: list[int] = []
        feature: list[int] = []
        threshold: list[float] = []
        impurity: list[float] = []
        n_samples: list[int] = []
        value: list[np.ndarray] = []
        max_depth = np.inf if self.max_depth is None else self.max_depth

        def build(idx: np.ndarray, depth: int) -> int:
            node = len(left)
            counts = np.bincount(codes[idx], weights=w[idx], minlength=self.n_classes_)
            imp = float(node_impurity(counts, self.criterion))
            left.append(TREE_LEAF)
            right.append(TREE_LEAF)
            feature.append(TREE_UNDEFINED)
            threshold.append(float(TREE_UNDEFINED))
            impurity.append(imp)
            n_samples.append(len(idx))
            value.append(counts / counts.sum())
            n = len(idx)
            if (depth >= max_depth or n < self.min_samples_split or n < 2 * self.min_samples_leaf
                    or imp <= np.finfo(np.float64).eps):
                return node
            split = best_split(X[idx], codes[idx], w[idx], self.criterion, self.min_samples_leaf)
            if split is None:
                return node
            goes_left = X[idx, split.feature] <= split.threshold
            feature[node] = split.feature
            threshold[node] = split.threshold
            left[node] = build(idx[goes_left], depth + 1)
            right[node] = build(idx[~goes_left], depth + 1)
            return node

        build(np.arange(len(y)), 0)
        self.children_left_ = np.array(left, dtype=np.int64)
        self.children_right_ = np.array(right, dtype=np.int64)
        self.feature_ = np.array(feature, dtype=np.int64)
        self.threshold_ = np.array(threshold, dtype=np.float64)
        self.impurity_ = np.array(impurity, dtype=np.float64)
        self.n_node_samples_ = np.array(n_samples, dtype=np.int64)
        self.value_ = np.array(value, dtype=np.float64)
        return self

    def apply(self, X: np.ndarray) -> np.ndarray:
        X = np.asarray(X, dtype=np.float64)
        node = np.zeros(len(X), dtype=np.int64)
        active = self.children_left_[node] != TREE_LEAF
        while active.any():
            rows = np.flatnonzero(active)
            cur = node[rows]
            goes_left = X[rows, self.feature_[cur]] <= self.threshold_[cur]
            node[rows] = np.where(goes_left, self.children_left_[cur], self.children_right_[cur])
            active = self.children_left_[node] != TREE_LEAF
        return node

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        return self.value_[self.apply(X)]

    def predict(self, X: np.ndarray) -> np.ndarray:
        return self.classes_[np.argmax(self.predict_proba(X), axis=1)]
