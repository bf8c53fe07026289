"""Reference solution for prod-05-1."""
from __future__ import annotations

import numpy as np


def _binary(name: str, y: np.ndarray, n: int | None = None) -> np.ndarray:
    y = np.asarray(y)
    if y.ndim != 1 or y.size == 0 or (n is not None and y.size != n):
        raise ValueError(f"{name} must be a non-empty 1-D array of the same length as groups, got shape {y.shape}")
    if not np.all((y == 0) | (y == 1)):
        raise ValueError(f"{name} must hold only 0 and 1")
    return y.astype(np.float64)


def selection_rates(y_pred: np.ndarray, groups: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    groups = np.asarray(groups)
    if groups.ndim != 1:
        raise ValueError("groups must be 1-D")
    y = _binary("y_pred", y_pred, groups.size)
    labels, codes = np.unique(groups, return_inverse=True)
    rates = np.bincount(codes, weights=y, minlength=labels.size) / np.bincount(codes, minlength=labels.size)
    return labels, rates


def demographic_parity_difference(y_pred: np.ndarray, groups: np.ndarray) -> float:
    _, rates = selection_rates(y_pred, groups)
    return float(rates.max() - rates.min())


def disparate_impact(y_pred: np.ndarray, groups: np.ndarray, privileged: object = None) -> float:
    labels, rates = selection_rates(y_pred, groups)
    if privileged is None:
        top, others = rates.max(), rates.min()
    else:
        is_priv = labels == privileged
        if not is_priv.any() or labels.size < 2:
            raise ValueError(f"privileged group {privileged!r} must be one of at least two groups {labels}")
        top, others = rates[is_priv][0], rates[~is_priv].min()
    if top == 0:
        raise ValueError("the reference selection rate is 0: disparate impact is undefined")
    return float(others / top)


def equalized_odds_difference(y_true: np.ndarray, y_pred: np.ndarray, groups: np.ndarray) -> float:
    groups = np.asarray(groups)
    if groups.ndim != 1:
        raise ValueError("groups must be 1-D")
    t = _binary("y_true", y_true, groups.size)
    p = _binary("y_pred", y_pred, groups.size)
    labels, codes = np.unique(groups, return_inverse=True)
    pos = np.bincount(codes, weights=t, minlength=labels.size)
    neg = np.bincount(codes, weights=1 - t, minlength=labels.size)
    if np.any(pos == 0) or np.any(neg == 0):
        raise ValueError("every group needs at least one positive and one negative example")
    tpr = np.bincount(codes, weights=t * p, minlength=labels.size) / pos
    fpr = np.bincount(codes, weights=(1 - t) * p, minlength=labels.size) / neg
    return float(max(tpr.max() - tpr.min(), fpr.max() - fpr.min()))
