"""Reference solution for ml-02-5."""
from __future__ import annotations

import numpy as np


def _bin_ids(y_prob: np.ndarray, n_bins: int, strategy: str) -> np.ndarray:
    if strategy == "uniform":
        edges = np.linspace(0.0, 1.0, n_bins + 1)
    elif strategy == "quantile":
        edges = np.percentile(y_prob, np.linspace(0, 1, n_bins + 1) * 100)
    else:
        raise ValueError(f"unknown strategy {strategy!r}")
    return np.searchsorted(edges[1:-1], y_prob)


def calibration_curve(y_true: np.ndarray, y_prob: np.ndarray, n_bins: int = 5,
                      strategy: str = "uniform") -> tuple[np.ndarray, np.ndarray]:
    y_true, y_prob = np.asarray(y_true, dtype=np.float64), np.asarray(y_prob, dtype=np.float64)
    if y_prob.min() < 0 or y_prob.max() > 1:
        raise ValueError("y_prob has values outside [0, 1]")
    ids = _bin_ids(y_prob, n_bins, strategy)
    total = np.bincount(ids, minlength=n_bins)
    positives = np.bincount(ids, weights=y_true, minlength=n_bins)
    prob_sums = np.bincount(ids, weights=y_prob, minlength=n_bins)
    full = total > 0
    return positives[full] / total[full], prob_sums[full] / total[full]


def brier_score(y_true: np.ndarray, y_prob: np.ndarray, sample_weight: np.ndarray | None = None) -> float:
    err = (np.asarray(y_prob, dtype=np.float64) - np.asarray(y_true, dtype=np.float64)) ** 2
    return float(np.average(err, weights=sample_weight))


def _platt_targets(y: np.ndarray) -> np.ndarray:
    n_pos = float(np.sum(y == 1))
    n_neg = float(len(y) - n_pos)
    return np.where(y == 1, (n_pos + 1) / (n_pos + 2), 1 / (n_neg + 2))


def platt_scaling(scores: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    s, y = np.asarray(scores, dtype=np.float64), np.asarray(y)
    t = _platt_targets(y)
    # In terms of f = A s + B, p = σ(−f): the loss is Σ softplus(f) − (1 − t) f, convex in (A, B).
    design = np.column_stack([s, np.ones_like(s)])
    theta = np.array([0.0, np.log((np.sum(y != 1) + 1.0) / (np.sum(y == 1) + 1.0))])

    def loss(th: np.ndarray) -> float:
        f = design @ th
        return float(np.sum(np.logaddexp(0.0, f) - (1 - t) * f))

    value = loss(theta)
    for _ in range(100):
        f = design @ theta
        q = np.exp(-np.logaddexp(0.0, -f))  # σ(f) = 1 − p, computed stably
        grad = design.T @ (q - (1 - t))
        if np.max(np.abs(grad)) <= 1e-12 * len(s):
            break
        hess = design.T @ (design * (q * (1 - q))[:, None]) + 1e-300 * np.eye(2)
        step = np.linalg.solve(hess, grad)
        step_size = 1.0
        while step_size > 1e-10:
            cand = theta - step_size * step
            new_value = loss(cand)
            if new_value <= value - 1e-4 * step_size * (grad @ step) + 1e-13 * abs(value):
                break
            step_size /= 2
        theta, value = cand, new_value
    return float(theta[0]), float(theta[1])


def pool_adjacent_violators(y: np.ndarray, sample_weight: np.ndarray | None = None) -> np.ndarray:
    y = np.asarray(y, dtype=np.float64)
    w = np.ones_like(y) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    means, weights, counts = [], [], []
    for yi, wi in zip(y, w, strict=True):
        means.append(yi)
        weights.append(wi)
        counts.append(1)
        while len(means) > 1 and means[-2] > means[-1]:
            m2, w2, c2 = means.pop(), weights.pop(), counts.pop()
            total = weights[-1] + w2
            means[-1] = (means[-1] * weights[-1] + m2 * w2) / total
            weights[-1] = total
            counts[-1] += c2
    return np.repeat(means, counts)


class IsotonicCalibrator:
    def fit(self, scores: np.ndarray, y: np.ndarray) -> IsotonicCalibrator:
        s, y = np.asarray(scores, dtype=np.float64), np.asarray(y, dtype=np.float64)
        unique, inverse, counts = np.unique(s, return_inverse=True, return_counts=True)
        mean_label = np.bincount(inverse, weights=y) / counts
        self.X_thresholds_ = unique
        self.y_thresholds_ = pool_adjacent_violators(mean_label, counts.astype(np.float64))
        return self

    def predict(self, scores: np.ndarray) -> np.ndarray:
        return np.interp(np.asarray(scores, dtype=np.float64), self.X_thresholds_, self.y_thresholds_)
