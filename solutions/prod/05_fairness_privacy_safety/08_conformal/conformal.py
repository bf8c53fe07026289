"""Reference solution for prod-05-8."""
from __future__ import annotations

import math

import numpy as np


def conformal_quantile(scores: np.ndarray, alpha: float) -> float:
    scores = np.asarray(scores, dtype=np.float64)
    if not 0 < alpha < 1:
        raise ValueError(f"alpha must be in (0, 1), got {alpha}")
    if scores.ndim != 1 or scores.size == 0:
        raise ValueError("scores must be a non-empty 1-D array")
    n = scores.size
    k = math.ceil(round((n + 1) * (1 - alpha), 9))
    if k > n:
        return math.inf
    return float(np.sort(scores)[k - 1])


def conformal_interval(cal_pred: np.ndarray, cal_y: np.ndarray, test_pred: np.ndarray,
                       alpha: float) -> tuple[np.ndarray, np.ndarray]:
    cal_pred, cal_y = np.asarray(cal_pred, dtype=np.float64), np.asarray(cal_y, dtype=np.float64)
    if cal_pred.shape != cal_y.shape:
        raise ValueError("cal_pred and cal_y must have the same shape")
    q = conformal_quantile(np.abs(cal_y - cal_pred), alpha)
    test_pred = np.asarray(test_pred, dtype=np.float64)
    return test_pred - q, test_pred + q


def conformal_sets(cal_probs: np.ndarray, cal_labels: np.ndarray, test_probs: np.ndarray,
                   alpha: float) -> np.ndarray:
    cal_probs, test_probs = np.asarray(cal_probs, dtype=np.float64), np.asarray(test_probs, dtype=np.float64)
    cal_labels = np.asarray(cal_labels)
    if cal_probs.ndim != 2 or cal_labels.shape != (cal_probs.shape[0],):
        raise ValueError("cal_probs must be (n, K) and cal_labels (n,)")
    q = conformal_quantile(1.0 - cal_probs[np.arange(cal_labels.size), cal_labels], alpha)
    return 1.0 - test_probs <= q
