"""Plausible wrong reweighing and threshold adjustments that the tests must reject."""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from mitigation import _binary, _same_length


@pitfall(replaces="reweighing_weights", why="the inverse ratio P(g, y) / (P(g) P(y)): up-weights the cells that are already over-represented")
def inverted(y: np.ndarray, groups: np.ndarray) -> np.ndarray:
    y, groups = _same_length(y, groups)
    y = _binary(y)
    _, g = np.unique(groups, return_inverse=True)
    n, cell = y.size, g * 2 + y
    return (np.bincount(cell) / n)[cell] / ((np.bincount(g) / n)[g] * (np.bincount(y, minlength=2) / n)[y])


@pitfall(replaces="reweighing_weights", why="1 / P(g, y): balances the cells instead of making y independent of g")
def balanced_cells(y: np.ndarray, groups: np.ndarray) -> np.ndarray:
    y, groups = _same_length(y, groups)
    y = _binary(y)
    _, g = np.unique(groups, return_inverse=True)
    cell = g * 2 + y
    return 1.0 / (np.bincount(cell) / y.size)[cell]


def _kth(values: np.ndarray, fraction: float, rounding: str) -> float:
    x = fraction * values.size
    k = {"floor": max(1, math.floor(x)), "raw_ceil": math.ceil(x)}[rounding]
    return float(np.sort(values)[::-1][k - 1])


@pitfall(replaces="parity_thresholds", why="np.quantile(scores_g, 1 - rate): an interpolated threshold, not a score of the group")
def quantile_threshold(scores: np.ndarray, groups: np.ndarray, rate: float) -> dict:
    if not 0 < rate <= 1:
        raise ValueError("rate")
    scores, groups = _same_length(scores, groups)
    return {label.item(): float(np.quantile(scores[groups == label], 1 - rate)) for label in np.unique(groups)}


@pitfall(replaces="parity_thresholds", why="ceil(rate * n_g) without rounding first: 0.14 * 50 = 7.000000000000001 selects 8")
def float_ceil(scores: np.ndarray, groups: np.ndarray, rate: float) -> dict:
    if not 0 < rate <= 1:
        raise ValueError("rate")
    scores, groups = _same_length(scores, groups)
    return {label.item(): _kth(scores[groups == label], rate, "raw_ceil") for label in np.unique(groups)}


@pitfall(replaces="parity_thresholds", why="one threshold for everyone (the pooled k-th largest score): no parity between groups")
def pooled_threshold(scores: np.ndarray, groups: np.ndarray, rate: float) -> dict:
    if not 0 < rate <= 1:
        raise ValueError("rate")
    scores, groups = _same_length(scores, groups)
    t = float(np.sort(scores)[::-1][math.ceil(round(rate * scores.size, 9)) - 1])
    return {label.item(): t for label in np.unique(groups)}


@pitfall(replaces="opportunity_thresholds", why="counts all of the group's examples, not only its positives (that is parity, not opportunity)")
def all_examples(scores: np.ndarray, y: np.ndarray, groups: np.ndarray, tpr: float) -> dict:
    if not 0 < tpr <= 1:
        raise ValueError("tpr")
    scores, y, groups = _same_length(scores, y, groups)
    y = _binary(y)
    out = {}
    for label in np.unique(groups):
        if not np.any(y[groups == label]):
            raise ValueError("no positive")
        out[label.item()] = _kth(scores[groups == label], tpr, "floor")
    return out


@pitfall(replaces="apply_thresholds", why="strict score > threshold: the example at the threshold is left out")
def strict(scores: np.ndarray, groups: np.ndarray, thresholds: dict) -> np.ndarray:
    groups = np.asarray(groups)
    if set(np.unique(groups).tolist()) - set(thresholds):
        raise ValueError("missing threshold")
    return np.asarray(scores) > np.array([thresholds[g] for g in groups.tolist()])
