"""Plausible wrong impurities and impurity decreases that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from impurity import _fractions, entropy, gini


@pitfall(replaces="entropy", why="natural log instead of log2: nats, not the bits sklearn's trees use")
def entropy_in_nats(y: np.ndarray, sample_weight: np.ndarray | None = None) -> float:
    p = _fractions(y, sample_weight)
    p = p[p > 0]
    return float(-np.sum(p * np.log(p))) if p.size else 0.0


@pitfall(replaces="gini", why="ignores sample_weight: counts every sample once")
def gini_unweighted(y: np.ndarray, sample_weight: np.ndarray | None = None) -> float:
    p = _fractions(y, None)
    return float(1.0 - np.sum(p * p)) if p.size else 0.0


@pitfall(replaces="impurity_decrease", why="averages the child impurities with weight 1/2 each")
def unweighted_children(y: np.ndarray, left: np.ndarray, criterion: str = "gini",
                        sample_weight: np.ndarray | None = None) -> float:
    if criterion not in ("gini", "entropy"):
        raise ValueError(criterion)
    impurity = gini if criterion == "gini" else entropy
    y, left = np.asarray(y), np.asarray(left, dtype=bool)
    w = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    if left.all() or not left.any():
        return 0.0
    return impurity(y, w) - 0.5 * impurity(y[left], w[left]) - 0.5 * impurity(y[~left], w[~left])


@pitfall(replaces="impurity_decrease", why="weights the children by sample counts n_L/n even when sample weights are given")
def count_fractions(y: np.ndarray, left: np.ndarray, criterion: str = "gini",
                    sample_weight: np.ndarray | None = None) -> float:
    if criterion not in ("gini", "entropy"):
        raise ValueError(criterion)
    impurity = gini if criterion == "gini" else entropy
    y, left = np.asarray(y), np.asarray(left, dtype=bool)
    w = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    n, n_left = len(y), int(left.sum())
    if n_left in (0, n):
        return 0.0
    return impurity(y, w) - n_left / n * impurity(y[left], w[left]) - (n - n_left) / n * impurity(y[~left], w[~left])


@pitfall(replaces="impurity_decrease", why="returns the weighted child impurity, forgetting to subtract it from the parent's")
def children_only(y: np.ndarray, left: np.ndarray, criterion: str = "gini",
                  sample_weight: np.ndarray | None = None) -> float:
    if criterion not in ("gini", "entropy"):
        raise ValueError(criterion)
    impurity = gini if criterion == "gini" else entropy
    y, left = np.asarray(y), np.asarray(left, dtype=bool)
    w = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    total = w.sum()
    if left.all() or not left.any():
        return 0.0
    return w[left].sum() / total * impurity(y[left], w[left]) + w[~left].sum() / total * impurity(y[~left], w[~left])


@pitfall(replaces="entropy", why="-Σ p log2 p over every class present in y: a class whose weights are all 0 gives "
         "0 · log 0 = nan")
def entropy_of_zero_weight_class(y: np.ndarray, sample_weight: np.ndarray | None = None) -> float:
    if len(y) == 0:
        return 0.0
    p = _fractions(y, sample_weight)
    with np.errstate(divide="ignore", invalid="ignore"):
        return float(-np.sum(p * np.log2(p)))
