"""Reference solution for ml-03-1."""
from __future__ import annotations

import numpy as np


def _fractions(y: np.ndarray, sample_weight: np.ndarray | None) -> np.ndarray:
    y = np.asarray(y)
    if y.size == 0:
        return np.zeros(0)
    w = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    _, inverse = np.unique(y, return_inverse=True)
    totals = np.bincount(inverse.ravel(), weights=w)
    total = totals.sum()
    return totals / total if total > 0 else np.zeros(0)


def gini(y: np.ndarray, sample_weight: np.ndarray | None = None) -> float:
    p = _fractions(y, sample_weight)
    return float(1.0 - np.sum(p * p)) if p.size else 0.0


def entropy(y: np.ndarray, sample_weight: np.ndarray | None = None) -> float:
    p = _fractions(y, sample_weight)
    p = p[p > 0]
    return float(-np.sum(p * np.log2(p))) if p.size else 0.0


def impurity_decrease(y: np.ndarray, left: np.ndarray, criterion: str = "gini",
                      sample_weight: np.ndarray | None = None) -> float:
    if criterion == "gini":
        impurity = gini
    elif criterion == "entropy":
        impurity = entropy
    else:
        raise ValueError(f"unknown criterion {criterion!r}: use 'gini' or 'entropy'")
    y = np.asarray(y)
    left = np.asarray(left, dtype=bool)
    w = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    total, w_left = float(w.sum()), float(w[left].sum())
    w_right = float(w[~left].sum())
    if total <= 0 or w_left <= 0 or w_right <= 0:
        return 0.0
    return (impurity(y, w) - w_left / total * impurity(y[left], w[left])
            - w_right / total * impurity(y[~left], w[~left]))
