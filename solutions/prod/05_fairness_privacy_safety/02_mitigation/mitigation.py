"""Reference solution for prod-05-2."""
from __future__ import annotations

import math

import numpy as np


def _same_length(*arrays: np.ndarray) -> list[np.ndarray]:
    out = [np.asarray(a) for a in arrays]
    if any(a.ndim != 1 for a in out) or out[0].size == 0 or any(a.size != out[0].size for a in out):
        raise ValueError("inputs must be non-empty 1-D arrays of one length")
    return out


def _binary(y: np.ndarray) -> np.ndarray:
    if not np.all((y == 0) | (y == 1)):
        raise ValueError("labels must be 0 or 1")
    return y.astype(np.int64)


def reweighing_weights(y: np.ndarray, groups: np.ndarray) -> np.ndarray:
    y, groups = _same_length(y, groups)
    y = _binary(y)
    _, g = np.unique(groups, return_inverse=True)
    n = y.size
    p_g = np.bincount(g) / n
    p_y = np.bincount(y, minlength=2) / n
    cell = g * 2 + y
    p_gy = np.bincount(cell) / n
    return p_g[g] * p_y[y] / p_gy[cell]


def _kth_largest(values: np.ndarray, fraction: float) -> float:
    k = math.ceil(round(fraction * values.size, 9))
    return float(np.sort(values)[::-1][k - 1])


def parity_thresholds(scores: np.ndarray, groups: np.ndarray, rate: float) -> dict:
    if not 0 < rate <= 1:
        raise ValueError(f"rate must be in (0, 1], got {rate}")
    scores, groups = _same_length(scores, groups)
    return {label.item(): _kth_largest(scores[groups == label], rate) for label in np.unique(groups)}


def opportunity_thresholds(scores: np.ndarray, y: np.ndarray, groups: np.ndarray, tpr: float) -> dict:
    if not 0 < tpr <= 1:
        raise ValueError(f"tpr must be in (0, 1], got {tpr}")
    scores, y, groups = _same_length(scores, y, groups)
    y = _binary(y)
    out = {}
    for label in np.unique(groups):
        positives = scores[(groups == label) & (y == 1)]
        if positives.size == 0:
            raise ValueError(f"group {label!r} has no positive example")
        out[label.item()] = _kth_largest(positives, tpr)
    return out


def apply_thresholds(scores: np.ndarray, groups: np.ndarray, thresholds: dict) -> np.ndarray:
    scores, groups = np.asarray(scores), np.asarray(groups)
    missing = set(np.unique(groups).tolist()) - set(thresholds)
    if missing:
        raise ValueError(f"no threshold for groups {sorted(missing)}")
    cut = np.array([thresholds[g] for g in groups.tolist()], dtype=np.float64)
    return scores >= cut
