"""Plausible wrong calibration code that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from calibration_kata import IsotonicCalibrator, _bin_ids, platt_scaling, pool_adjacent_violators


@pitfall(replaces="_bin_ids", why="floor(p·n_bins): bins closed on the left, so p on an inner edge lands one bin up")
def floor_binning(y_prob: np.ndarray, n_bins: int, strategy: str) -> np.ndarray:
    if strategy == "uniform":
        return np.minimum((y_prob * n_bins).astype(int), n_bins - 1)
    edges = np.percentile(y_prob, np.linspace(0, 1, n_bins + 1) * 100)
    return np.searchsorted(edges[1:-1], y_prob, side="right")


@pitfall(replaces="calibration_curve", why="reports the bin centres as prob_pred instead of the mean predicted probability")
def bin_centres(y_true: np.ndarray, y_prob: np.ndarray, n_bins: int = 5,
                strategy: str = "uniform") -> tuple[np.ndarray, np.ndarray]:
    y_true, y_prob = np.asarray(y_true, dtype=np.float64), np.asarray(y_prob, dtype=np.float64)
    ids = _bin_ids(y_prob, n_bins, strategy)
    total = np.bincount(ids, minlength=n_bins)
    positives = np.bincount(ids, weights=y_true, minlength=n_bins)
    edges = (np.linspace(0.0, 1.0, n_bins + 1) if strategy == "uniform"
             else np.percentile(y_prob, np.linspace(0, 1, n_bins + 1) * 100))
    full = total > 0
    return positives[full] / total[full], ((edges[:-1] + edges[1:]) / 2)[full]


@pitfall(replaces="calibration_curve", why="keeps empty bins (as zeros) instead of leaving them out")
def keeps_empty_bins(y_true: np.ndarray, y_prob: np.ndarray, n_bins: int = 5,
                     strategy: str = "uniform") -> tuple[np.ndarray, np.ndarray]:
    y_true, y_prob = np.asarray(y_true, dtype=np.float64), np.asarray(y_prob, dtype=np.float64)
    ids = _bin_ids(y_prob, n_bins, strategy)
    total = np.maximum(np.bincount(ids, minlength=n_bins), 1)
    return (np.bincount(ids, weights=y_true, minlength=n_bins) / total,
            np.bincount(ids, weights=y_prob, minlength=n_bins) / total)


@pitfall(replaces="brier_score", why="ignores sample_weight")
def unweighted_brier(y_true: np.ndarray, y_prob: np.ndarray, sample_weight: np.ndarray | None = None) -> float:
    return float(np.mean((np.asarray(y_prob, dtype=np.float64) - np.asarray(y_true)) ** 2))


@pitfall(replaces="_platt_targets", why="fits the raw 0/1 labels, without Platt's smoothed targets")
def raw_targets(y: np.ndarray) -> np.ndarray:
    return (np.asarray(y) == 1).astype(np.float64)


@pitfall(replaces="platt_scaling", why="sign convention σ(A·s + B) instead of 1/(1 + exp(A·s + B))")
def platt_sign_flipped(scores: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    A, B = _platt_solution(scores, y)
    return -A, -B


_platt_solution = platt_scaling


@pitfall(replaces="pool_adjacent_violators", why="merges a violator with its left neighbour only once, never backwards")
def single_pass_pava(y: np.ndarray, sample_weight: np.ndarray | None = None) -> np.ndarray:
    y = np.asarray(y, dtype=np.float64)
    w = np.ones_like(y) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    means, weights, counts = [], [], []
    for yi, wi in zip(y, w, strict=True):
        if means and means[-1] > yi:
            total = weights[-1] + wi
            means[-1] = (means[-1] * weights[-1] + yi * wi) / total
            weights[-1] = total
            counts[-1] += 1
        else:
            means.append(yi)
            weights.append(wi)
            counts.append(1)
    return np.repeat(means, counts)


@pitfall(replaces="pool_adjacent_violators", why="merged blocks take the plain mean, ignoring the weights")
def unweighted_pooling(y: np.ndarray, sample_weight: np.ndarray | None = None) -> np.ndarray:
    y = np.asarray(y, dtype=np.float64)
    means, counts = [], []
    for yi in y:
        means.append(yi)
        counts.append(1)
        while len(means) > 1 and means[-2] > means[-1]:
            m2, c2 = means.pop(), counts.pop()
            means[-1] = (means[-1] * counts[-1] + m2 * c2) / (counts[-1] + c2)
            counts[-1] += c2
    return np.repeat(means, counts)


@pitfall(replaces="IsotonicCalibrator.fit", why="runs PAVA on the raw sorted samples: tied scores are not merged")
def ties_not_merged(self: IsotonicCalibrator, scores: np.ndarray, y: np.ndarray) -> IsotonicCalibrator:
    s, y = np.asarray(scores, dtype=np.float64), np.asarray(y, dtype=np.float64)
    order = np.argsort(s, kind="mergesort")
    self.X_thresholds_ = s[order]
    self.y_thresholds_ = pool_adjacent_violators(y[order])
    return self


@pitfall(replaces="calibration_curve", why="no input check: probabilities outside [0, 1] are silently binned")
def no_range_check(y_true: np.ndarray, y_prob: np.ndarray, n_bins: int = 5,
                   strategy: str = "uniform") -> tuple[np.ndarray, np.ndarray]:
    y_true, y_prob = np.asarray(y_true, dtype=np.float64), np.asarray(y_prob, dtype=np.float64)
    ids = _bin_ids(y_prob, n_bins, strategy)
    total = np.bincount(ids, minlength=n_bins)
    positives = np.bincount(ids, weights=y_true, minlength=n_bins)
    prob_sums = np.bincount(ids, weights=y_prob, minlength=n_bins)
    full = total > 0
    return positives[full] / total[full], prob_sums[full] / total[full]


@pitfall(replaces="pool_adjacent_violators", why="the textbook array PAVA that pools in place: right fit, but the "
         "caller's y is overwritten with it")
def pava_in_place(y: np.ndarray, sample_weight: np.ndarray | None = None) -> np.ndarray:
    w = np.ones_like(y) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    n = len(y)
    changed = True
    while changed:
        changed = False
        i = 0
        while i < n - 1:
            if y[i] > y[i + 1]:
                j = i + 1
                while j < n - 1 and y[j + 1] == y[j]:
                    j += 1
                k = i
                while k > 0 and y[k - 1] == y[i]:
                    k -= 1
                block = slice(k, j + 1)
                y[block] = np.average(y[block], weights=w[block])
                changed = True
                i = j
            i += 1
    return y
