"""ml-03-1: Gini and entropy impurity, impurity decrease. Edit this file; `grader check ml-03-1` tests it."""
from __future__ import annotations

import numpy as np


def gini(y: np.ndarray, sample_weight: np.ndarray | None = None) -> float:
    """Gini impurity 1 - sum_k p_k^2 of the labels in y.

    p_k is the (weighted) fraction of class k: sum of the weights of the samples labelled k over
    the total weight (every weight is 1 when sample_weight is None). Labels may be any values
    np.unique can sort (ints, strings). An empty y has impurity 0.0.

    Shapes:
        y: (n,) labels
        sample_weight: (n,) non-negative floats, or None
        returns: a Python float in [0, 1 - 1/K] for K classes
    """
    raise NotImplementedError("gini: 1 - sum of squared class fractions")


def entropy(y: np.ndarray, sample_weight: np.ndarray | None = None) -> float:
    """Shannon entropy -sum_k p_k log2 p_k of the labels in y, in bits (as sklearn's trees use it).

    Classes that do not occur contribute nothing (0 log 0 = 0). An empty y has entropy 0.0.

    Shapes:
        y: (n,) labels
        sample_weight: (n,) non-negative floats, or None
        returns: a Python float in [0, log2 K]
    """
    raise NotImplementedError("entropy: -sum p log2 p over the classes present")


def impurity_decrease(y: np.ndarray, left: np.ndarray, criterion: str = "gini",
                      sample_weight: np.ndarray | None = None) -> float:
    """Decrease in impurity when the node holding y is split into y[left] and y[~left].

        decrease = I(y) - W_left / W * I(y[left]) - W_right / W * I(y[~left])

    where I is gini or entropy (criterion "gini" or "entropy") and W, W_left, W_right are the total
    sample weights of the node and of each child (sample counts when sample_weight is None).
    A split with an empty side leaves the node unchanged: its decrease is 0.

    Shapes:
        y: (n,) labels, n >= 1
        left: (n,) bool, True for the samples that go to the left child
        sample_weight: (n,) non-negative floats, or None
        returns: a Python float >= 0 (up to rounding)

    Raises:
        ValueError: for an unknown criterion.
    """
    raise NotImplementedError("impurity_decrease: parent impurity minus the weighted child impurities")
