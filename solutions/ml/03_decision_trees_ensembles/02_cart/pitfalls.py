"""Plausible wrong split searches and tree builders that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from cart import CARTClassifier, Split, node_impurity


def _search(X: np.ndarray, y: np.ndarray, sample_weight: np.ndarray | None, criterion: str, min_samples_leaf: int,
            *, where: str = "mid", use_weights: bool = True, enforce_leaf: bool = True) -> Split | None:
    X = np.asarray(X, dtype=np.float64)
    n, d = X.shape
    w = np.ones(n) if sample_weight is None or not use_weights else np.asarray(sample_weight, dtype=np.float64)
    if n < 2 * min_samples_leaf or n < 2:
        return None
    _, codes = np.unique(y, return_inverse=True)
    onehot = np.zeros((n, codes.max() + 1))
    onehot[np.arange(n), codes.ravel()] = w
    parent = onehot.sum(axis=0)
    W = parent.sum()
    best = None
    for j in range(d):
        order = np.argsort(X[:, j], kind="stable")
        xs = X[order, j]
        left = np.cumsum(onehot[order], axis=0)[:-1]
        right = parent - left
        p = np.arange(1, n)
        valid = xs[1:] > xs[:-1]
        if enforce_leaf:
            valid &= (p >= min_samples_leaf) & (n - p >= min_samples_leaf)
        if not valid.any():
            continue
        gain = (node_impurity(parent, criterion) - left.sum(1) / W * node_impurity(left, criterion)
                - right.sum(1) / W * node_impurity(right, criterion))
        gain = np.where(valid, gain, -np.inf)
        k = int(np.argmax(gain))
        thr = {"mid": xs[k] / 2 + xs[k + 1] / 2, "left": xs[k]}[where]
        if best is None or gain[k] > best.improvement:
            best = Split(j, float(thr), float(gain[k]))
    return best


@pitfall(replaces="best_split", why="threshold at the left value instead of the midpoint between neighbours")
def threshold_at_left_value(X: np.ndarray, y: np.ndarray, sample_weight: np.ndarray | None = None,
                            criterion: str = "gini", min_samples_leaf: int = 1) -> Split | None:
    return _search(X, y, sample_weight, criterion, min_samples_leaf, where="left")


@pitfall(replaces="best_split", why="ignores sample_weight when counting classes")
def ignores_weights(X: np.ndarray, y: np.ndarray, sample_weight: np.ndarray | None = None,
                    criterion: str = "gini", min_samples_leaf: int = 1) -> Split | None:
    return _search(X, y, sample_weight, criterion, min_samples_leaf, use_weights=False)


@pitfall(replaces="best_split", why="does not enforce min_samples_leaf on each candidate split")
def no_leaf_constraint(X: np.ndarray, y: np.ndarray, sample_weight: np.ndarray | None = None,
                       criterion: str = "gini", min_samples_leaf: int = 1) -> Split | None:
    return _search(X, y, sample_weight, criterion, min_samples_leaf, enforce_leaf=False)


@pitfall(replaces="CARTClassifier", why="max_depth off by one: splits nodes at depth == max_depth")
class depth_off_by_one(CARTClassifier):  # noqa: N801
    def fit(self, X: np.ndarray, y: np.ndarray, sample_weight: np.ndarray | None = None) -> CARTClassifier:
        saved = self.max_depth
        self.max_depth = None if saved is None else saved + 1
        try:
            return super().fit(X, y, sample_weight)
        finally:
            self.max_depth = saved


@pitfall(replaces="CARTClassifier.fit", why="a node with exactly min_samples_split samples is left unsplit (<= instead of <)")
def min_samples_split_inclusive(self: CARTClassifier, X: np.ndarray, y: np.ndarray,
                                sample_weight: np.ndarray | None = None) -> CARTClassifier:
    saved = self.min_samples_split
    self.min_samples_split = saved + 1
    try:
        return _original_fit(self, X, y, sample_weight)
    finally:
        self.min_samples_split = saved


_original_fit = CARTClassifier.fit


@pitfall(replaces="CARTClassifier.predict_proba", why="returns the leaf's class fractions unnormalised by weight (raw counts)")
def counts_not_fractions(self: CARTClassifier, X: np.ndarray) -> np.ndarray:
    return self.value_[self.apply(X)] * self.n_node_samples_[self.apply(X)][:, None]


@pitfall(replaces="best_split", why="replaces the best split on an equal improvement (>= instead of >): a tie goes to "
         "the last feature and the last threshold")
def ties_go_to_the_last(X: np.ndarray, y: np.ndarray, sample_weight: np.ndarray | None = None,
                        criterion: str = "gini", min_samples_leaf: int = 1) -> Split | None:
    X = np.asarray(X, dtype=np.float64)
    n, d = X.shape
    w = np.ones(n) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    if n < 2 * min_samples_leaf:
        return None
    _, codes = np.unique(y, return_inverse=True)
    onehot = np.zeros((n, codes.max() + 1))
    onehot[np.arange(n), codes.ravel()] = w
    parent = onehot.sum(axis=0)
    W, parent_imp = parent.sum(), float(node_impurity(parent, criterion))
    best = None
    for j in range(d):
        order = np.argsort(X[:, j], kind="stable")
        xs = X[order, j]
        left = np.cumsum(onehot[order], axis=0)[:-1]
        right = parent - left
        p = np.arange(1, n)
        valid = (xs[1:] > xs[:-1]) & (p >= min_samples_leaf) & (n - p >= min_samples_leaf)
        gain = parent_imp - left.sum(1) / W * node_impurity(left, criterion) - right.sum(1) / W * node_impurity(
            right, criterion)
        for k in np.flatnonzero(valid):
            if best is None or gain[k] >= best.improvement:
                best = Split(j, float(xs[k] / 2.0 + xs[k + 1] / 2.0), float(gain[k]))
    return best


@pitfall(replaces="CARTClassifier.predict", why="argmax of the reversed fractions: a tied leaf predicts the last class")
def predict_tie_to_last(self: CARTClassifier, X: np.ndarray) -> np.ndarray:
    proba = self.predict_proba(X)
    return self.classes_[proba.shape[1] - 1 - np.argmax(proba[:, ::-1], axis=1)]
