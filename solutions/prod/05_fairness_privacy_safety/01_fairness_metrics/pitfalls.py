"""Plausible wrong fairness metrics that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from fairness_metrics import _binary, selection_rates


@pitfall(replaces="selection_rates", why="P(group | y_pred = 1), the share of the positives each group gets, instead of P(y_pred = 1 | group)")
def share_of_positives(y_pred: np.ndarray, groups: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    groups = np.asarray(groups)
    y = _binary("y_pred", y_pred, groups.size)
    labels, codes = np.unique(groups, return_inverse=True)
    return labels, np.bincount(codes, weights=y, minlength=labels.size) / max(y.sum(), 1)


@pitfall(replaces="disparate_impact", why="max rate / min rate: the ratio upside down (>= 1)")
def inverted_ratio(y_pred: np.ndarray, groups: np.ndarray, privileged: object = None) -> float:
    labels, rates = selection_rates(y_pred, groups)
    if privileged is None:
        if rates.min() == 0:
            raise ValueError("undefined")
        return float(rates.max() / rates.min())
    is_priv = labels == privileged
    if not is_priv.any() or labels.size < 2 or rates[is_priv][0] == 0:
        raise ValueError("bad privileged group")
    return float(rates[is_priv][0] / rates[~is_priv].min()) if rates[~is_priv].min() else float("inf")


@pitfall(replaces="disparate_impact", why="with a privileged group, averages the other groups' ratios instead of taking the worst")
def mean_of_others(y_pred: np.ndarray, groups: np.ndarray, privileged: object = None) -> float:
    labels, rates = selection_rates(y_pred, groups)
    if privileged is None:
        if rates.max() == 0:
            raise ValueError("undefined")
        return float(rates.min() / rates.max())
    is_priv = labels == privileged
    if not is_priv.any() or labels.size < 2 or rates[is_priv][0] == 0:
        raise ValueError("bad privileged group")
    return float(rates[~is_priv].mean() / rates[is_priv][0])


@pitfall(replaces="equalized_odds_difference", why="only the true-positive-rate gap (equal opportunity), not the worse of TPR and FPR gaps")
def tpr_only(y_true: np.ndarray, y_pred: np.ndarray, groups: np.ndarray) -> float:
    groups = np.asarray(groups)
    t, p = _binary("y_true", y_true, groups.size), _binary("y_pred", y_pred, groups.size)
    labels, codes = np.unique(groups, return_inverse=True)
    pos = np.bincount(codes, weights=t, minlength=labels.size)
    neg = np.bincount(codes, weights=1 - t, minlength=labels.size)
    if np.any(pos == 0) or np.any(neg == 0):
        raise ValueError("undefined")
    tpr = np.bincount(codes, weights=t * p, minlength=labels.size) / pos
    return float(tpr.max() - tpr.min())


@pitfall(replaces="equalized_odds_difference", why="sums the TPR and FPR gaps instead of taking the larger")
def summed_gaps(y_true: np.ndarray, y_pred: np.ndarray, groups: np.ndarray) -> float:
    groups = np.asarray(groups)
    t, p = _binary("y_true", y_true, groups.size), _binary("y_pred", y_pred, groups.size)
    labels, codes = np.unique(groups, return_inverse=True)
    pos = np.bincount(codes, weights=t, minlength=labels.size)
    neg = np.bincount(codes, weights=1 - t, minlength=labels.size)
    if np.any(pos == 0) or np.any(neg == 0):
        raise ValueError("undefined")
    tpr = np.bincount(codes, weights=t * p, minlength=labels.size) / pos
    fpr = np.bincount(codes, weights=(1 - t) * p, minlength=labels.size) / neg
    return float(tpr.max() - tpr.min() + fpr.max() - fpr.min())


@pitfall(replaces="equalized_odds_difference", why="skips groups whose TPR or FPR is undefined instead of raising ValueError")
def skips_undefined(y_true: np.ndarray, y_pred: np.ndarray, groups: np.ndarray) -> float:
    groups = np.asarray(groups)
    t, p = _binary("y_true", y_true, groups.size), _binary("y_pred", y_pred, groups.size)
    labels, codes = np.unique(groups, return_inverse=True)
    pos = np.bincount(codes, weights=t, minlength=labels.size)
    neg = np.bincount(codes, weights=1 - t, minlength=labels.size)
    with np.errstate(invalid="ignore", divide="ignore"):
        tpr = np.bincount(codes, weights=t * p, minlength=labels.size) / pos
        fpr = np.bincount(codes, weights=(1 - t) * p, minlength=labels.size) / neg
    return float(max(np.nanmax(tpr) - np.nanmin(tpr), np.nanmax(fpr) - np.nanmin(fpr)))
