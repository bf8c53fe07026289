"""ml-03-2: CART best-split search and recursive tree building. Edit this file; `grader check ml-03-2` tests it."""
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
    """Gini or entropy (bits) of nodes given their per-class weights (given; kata ml-03-1 builds it).

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
    """The split of this node with the largest impurity decrease, searched exhaustively.

    Candidates: for every feature j, every threshold halfway between two neighbouring *distinct*
    sorted values of X[:, j] (computed as a / 2 + b / 2, as sklearn does), such that both sides keep
    at least min_samples_leaf samples (a count, not a weight). Samples with X[:, j] <= threshold go
    left. The improvement is I(t) - W_L/W I(L) - W_R/W I(R) with I = node_impurity and W the
    sample-weight totals (all weights 1 when sample_weight is None). Among equal improvements keep
    the lowest feature, then the lowest threshold.

    Shapes:
        X: (n, d) float64; y: (n,) labels; sample_weight: (n,) positive floats or None
        returns: Split(feature, threshold, improvement), or None when no candidate exists
    """
    raise NotImplementedError("best_split: sort each feature, sweep the thresholds with cumulative class weights")


class CARTClassifier:
    """A CART classification tree grown depth-first, numbered in preorder like sklearn's tree_.

    Fitted attributes (n_nodes entries each, node 0 the root, each node's left subtree numbered
    before its right subtree):
        classes_ (K,) sorted labels; n_classes_ int
        children_left_, children_right_ (n_nodes,) int: child node ids, -1 (TREE_LEAF) for a leaf
        feature_ (n_nodes,) int, threshold_ (n_nodes,) float: the split, -2 (TREE_UNDEFINED) for a leaf
        impurity_ (n_nodes,) float: I of the node's training samples
        n_node_samples_ (n_nodes,) int: number of training samples reaching the node
        value_ (n_nodes, K) float: weighted class fractions of those samples (rows sum to 1)
    """

    def __init__(self, criterion: str = "gini", max_depth: int | None = None, min_samples_split: int = 2,
                 min_samples_leaf: int = 1) -> None:
        self.criterion = criterion
        self.max_depth = max_depth
        self.min_samples_split = min_samples_split
        self.min_samples_leaf = min_samples_leaf

    def fit(self, X: np.ndarray, y: np.ndarray, sample_weight: np.ndarray | None = None) -> CARTClassifier:
        """Grow the tree recursively from the root (depth 0) and return self.

        A node becomes a leaf when depth >= max_depth, n_node_samples < min_samples_split,
        n_node_samples < 2 * min_samples_leaf, its impurity is 0 (<= machine epsilon), or
        best_split finds no candidate. Otherwise it takes best_split's split and recurses, left
        child first.

        Shapes:
            X: (n, d) float64; y: (n,) labels; sample_weight: (n,) positive floats or None
        """
        raise NotImplementedError("fit: recursive best splits, recording the node arrays in preorder")

    def apply(self, X: np.ndarray) -> np.ndarray:
        """(n,) int: the id of the leaf each row of X lands in."""
        raise NotImplementedError("apply: walk each row down from the root")

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        """(n, K) float: value_ of each row's leaf."""
        raise NotImplementedError("predict_proba: value_ of the leaf")

    def predict(self, X: np.ndarray) -> np.ndarray:
        """(n,) labels: classes_ of the largest leaf fraction (the first one on a tie)."""
        raise NotImplementedError("predict: argmax of predict_proba")
