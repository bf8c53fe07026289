"""ml-03-8: XGBoost-style second-order split gain with L2 leaf regularisation. Edit this file;
`grader check ml-03-8` tests it."""
from __future__ import annotations

from typing import NamedTuple

import numpy as np


class SplitInfo(NamedTuple):
    """What `best_split` returns (given: you do not need to change it)."""

    feature: int  # column of X to split on
    threshold: float  # rows with X[:, feature] <= threshold go left
    gain: float  # split_gain of this split
    left_weight: float  # leaf_weight of the left child
    right_weight: float  # leaf_weight of the right child


def logistic_grad_hess(y: np.ndarray, raw: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per-row gradient and Hessian of the logistic loss with respect to the raw score (logit).

    loss_i = -y_i log p_i - (1 - y_i) log(1 - p_i), p_i = sigmoid(raw_i).

    Shapes:
        y: (n,) in {0, 1}; raw: (n,) float
        returns: (g, h), both (n,) float64
    """
    raise NotImplementedError("logistic_grad_hess: differentiate the log loss with respect to the logit")


def leaf_weight(G: np.ndarray | float, H: np.ndarray | float, reg_lambda: float) -> np.ndarray | float:
    """Optimal weight of a leaf whose rows have gradient sum G and Hessian sum H: -G / (H + lambda).
    Works elementwise on arrays."""
    raise NotImplementedError("leaf_weight: the regularised Newton step")


def leaf_objective(G: np.ndarray | float, H: np.ndarray | float, reg_lambda: float) -> np.ndarray | float:
    """The leaf's second-order objective at its optimal weight: -G^2 / (2 (H + lambda)). Elementwise."""
    raise NotImplementedError("leaf_objective: the structure score of one leaf")


def split_gain(G_L: np.ndarray | float, H_L: np.ndarray | float, G_R: np.ndarray | float, H_R: np.ndarray | float,
               reg_lambda: float, gamma: float = 0.0) -> np.ndarray | float:
    """Decrease of the objective when a leaf is split into (G_L, H_L) and (G_R, H_R), minus gamma:

        1/2 [G_L^2/(H_L + lambda) + G_R^2/(H_R + lambda) - (G_L + G_R)^2/(H_L + H_R + lambda)] - gamma

    Works elementwise on arrays of candidate splits.
    """
    raise NotImplementedError("split_gain: parent's objective minus the children's, minus gamma")


def best_split(X: np.ndarray, g: np.ndarray, h: np.ndarray, reg_lambda: float = 1.0, gamma: float = 0.0,
               min_child_weight: float = 1.0) -> SplitInfo | None:
    """Exact greedy split finding (XGBoost's algorithm 1) over every feature and threshold.

    Candidates: thresholds halfway between neighbouring distinct sorted values of X[:, j]
    (a / 2 + b / 2); rows with X[:, j] <= threshold go left. A candidate is valid when both sides
    have a Hessian sum >= min_child_weight. Return the valid split with the largest gain (lowest
    feature, then lowest threshold on ties), or None if there is no valid split or the best gain
    is <= 0.

    Shapes:
        X: (n, d) float; g, h: (n,) float
    """
    raise NotImplementedError("best_split: sort, prefix sums of g and h, split_gain of every candidate")
