"""ml-09-2: Isolation Forest. Edit this file; `grader check ml-09-2` tests it."""
from __future__ import annotations

import math  # noqa: F401
from typing import NamedTuple

import numpy as np

EULER_GAMMA = 0.5772156649015329


class IsoTree(NamedTuple):
    """A binary tree in flat arrays, the layout of sklearn's `tree_` (given). Node 0 is the root."""

    children_left: np.ndarray  # (n_nodes,) int: index of the left child, -1 at a leaf
    children_right: np.ndarray  # (n_nodes,) int: index of the right child, -1 at a leaf
    feature: np.ndarray  # (n_nodes,) int: split feature (any value at a leaf)
    threshold: np.ndarray  # (n_nodes,) float: go left if x[feature] <= threshold
    n_node_samples: np.ndarray  # (n_nodes,) int: training samples that reached the node


def average_path_length(n: np.ndarray | int) -> np.ndarray:
    """c(n): average path length of an unsuccessful search in a binary search tree of n keys.

    c(n) = 2 H(n-1) - 2 (n-1) / n with the harmonic number H(i) ~ ln(i) + EULER_GAMMA,
    c(2) = 1, c(1) = c(0) = 0. Element-wise.

    Shapes:
        n: any shape of non-negative integers;  returns: float64, same shape
    """
    raise NotImplementedError("average_path_length")


def path_lengths(tree: IsoTree, X: np.ndarray) -> np.ndarray:
    """h(x) for every row: the number of edges from the root to x's leaf, plus
    c(n_node_samples of that leaf) for the points that were never separated there.

    Shapes:
        X: (m, d) float64;  returns: (m,) float64
    """
    raise NotImplementedError("path_lengths")


def anomaly_scores(trees: list[IsoTree], X: np.ndarray, psi: int) -> np.ndarray:
    """s(x) = 2 ** (-mean over trees of h(x) / c(psi)), psi the subsample size each tree was grown on.

    Close to 1: anomaly; well below 0.5: normal. (If c(psi) == 0, return 1 for every point.)

    Shapes:
        X: (m, d) float64;  returns: (m,) float64 in (0, 1]
    """
    raise NotImplementedError("anomaly_scores")


def fit_isolation_tree(X: np.ndarray, rng: np.random.Generator, height_limit: int) -> IsoTree:
    """Grow one isolation tree on X (Liu et al. 2008, Algorithm 2).

    A node at depth e holding the points rows becomes a leaf if e >= height_limit, if it holds at
    most one point, or if all its points are identical. Otherwise pick the split feature q uniformly
    among the features that are not constant on the node's points (rng.integers), and the threshold
    p = rng.uniform(min, max) of feature q over the node's points; points with x[q] <= p go left.
    Floating-point rounding can make p equal max itself (min and max a few ulps apart), which would
    leave the right child empty: then use p = min instead, as scikit-learn's random splitter does.
    Grow the left subtree before the right one. Draw every random number from `rng`.

    Shapes:
        X: (n, d) float64;  returns: an IsoTree with n_node_samples[0] == n
    """
    raise NotImplementedError("fit_isolation_tree")


class IsolationForest:
    """n_estimators isolation trees, each on a subsample of psi = min(max_samples, n) distinct rows
    (rng.choice(n, size=psi, replace=False)) with height limit ceil(log2(max(psi, 2))), where
    rng = np.random.default_rng(random_state) is shared by the subsampling and the trees.

    Fitted attributes: trees_ (list of IsoTree), max_samples_ (psi).
    score_samples(X) = -anomaly_scores(trees_, X, psi): as in sklearn, LOWER means more anomalous.
    """

    def __init__(self, n_estimators: int = 100, max_samples: int = 256, random_state: int | None = None) -> None:
        self.n_estimators = n_estimators
        self.max_samples = max_samples
        self.random_state = random_state

    def fit(self, X: np.ndarray) -> IsolationForest:
        raise NotImplementedError("IsolationForest.fit")

    def score_samples(self, X: np.ndarray) -> np.ndarray:
        """(m,) float64: minus the anomaly score."""
        raise NotImplementedError("IsolationForest.score_samples")
