"""Plausible wrong conformal predictors that the tests must reject."""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from conformal import conformal_quantile


def _checked(scores: np.ndarray, alpha: float) -> np.ndarray:
    scores = np.asarray(scores, dtype=np.float64)
    if not 0 < alpha < 1 or scores.ndim != 1 or scores.size == 0:
        raise ValueError("bad arguments")
    return scores


@pitfall(replaces="conformal_quantile", why="the plain empirical (1 - alpha) quantile, without the (n + 1) correction: under-covers")
def no_correction(scores: np.ndarray, alpha: float) -> float:
    return float(np.quantile(_checked(scores, alpha), 1 - alpha))


@pitfall(replaces="conformal_quantile", why="clamps k to n: returns the largest score instead of infinity when n is too small")
def clamped_rank(scores: np.ndarray, alpha: float) -> float:
    scores = _checked(scores, alpha)
    k = math.ceil(round((scores.size + 1) * (1 - alpha), 9))
    return float(np.sort(scores)[min(k, scores.size) - 1])


@pitfall(replaces="conformal_quantile", why="ceil((n + 1)(1 - alpha)) without rounding first: a float like 14.000000000000002 gives 15")
def float_ceil(scores: np.ndarray, alpha: float) -> float:
    scores = _checked(scores, alpha)
    k = math.ceil((scores.size + 1) * (1 - alpha))
    return math.inf if k > scores.size else float(np.sort(scores)[k - 1])


@pitfall(replaces="conformal_quantile", why="the ceil(n(1 - alpha))-th score: the +1 of the test point is forgotten")
def rank_without_test_point(scores: np.ndarray, alpha: float) -> float:
    scores = _checked(scores, alpha)
    k = max(1, math.ceil(round(scores.size * (1 - alpha), 9)))
    return float(np.sort(scores)[k - 1])


@pitfall(replaces="conformal_interval", why="signed residuals y - pred instead of their absolute values")
def signed_residuals(cal_pred: np.ndarray, cal_y: np.ndarray, test_pred: np.ndarray,
                     alpha: float) -> tuple[np.ndarray, np.ndarray]:
    cal_pred, cal_y = np.asarray(cal_pred, dtype=np.float64), np.asarray(cal_y, dtype=np.float64)
    if cal_pred.shape != cal_y.shape:
        raise ValueError("shapes")
    q = conformal_quantile(cal_y - cal_pred, alpha)
    return np.asarray(test_pred) - q, np.asarray(test_pred) + q


@pitfall(replaces="conformal_sets", why="thresholds the probabilities p >= q instead of the scores 1 - p <= q")
def probability_threshold(cal_probs: np.ndarray, cal_labels: np.ndarray, test_probs: np.ndarray,
                          alpha: float) -> np.ndarray:
    cal_probs, cal_labels = np.asarray(cal_probs, dtype=np.float64), np.asarray(cal_labels)
    if cal_probs.ndim != 2 or cal_labels.shape != (cal_probs.shape[0],):
        raise ValueError("shapes")
    q = conformal_quantile(1.0 - cal_probs[np.arange(cal_labels.size), cal_labels], alpha)
    return np.asarray(test_probs) >= q


@pitfall(replaces="conformal_sets", why="a strict 1 - p < q: a class exactly at the threshold is left out")
def strict_sets(cal_probs: np.ndarray, cal_labels: np.ndarray, test_probs: np.ndarray, alpha: float) -> np.ndarray:
    cal_probs, cal_labels = np.asarray(cal_probs, dtype=np.float64), np.asarray(cal_labels)
    if cal_probs.ndim != 2 or cal_labels.shape != (cal_probs.shape[0],):
        raise ValueError("shapes")
    q = conformal_quantile(1.0 - cal_probs[np.arange(cal_labels.size), cal_labels], alpha)
    return 1.0 - np.asarray(test_probs) < q
