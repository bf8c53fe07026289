"""Reference solution for ml-02-4."""
from __future__ import annotations

import numpy as np


def _check(y_true: np.ndarray, y_score: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    y, s = np.asarray(y_true).astype(np.int64), np.asarray(y_score, dtype=np.float64)
    if y.shape != s.shape or y.ndim != 1:
        raise ValueError(f"y_true {y.shape} and y_score {s.shape} must be 1-D of the same length")
    if not (np.any(y == 1) and np.any(y == 0)):
        raise ValueError("ROC needs both classes in y_true")
    return y, s


def _counts(y: np.ndarray, s: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """fps, tps and thresholds at every distinct score, in decreasing score order."""
    order = np.argsort(-s, kind="mergesort")
    s, y = s[order], y[order]
    ends = np.r_[np.flatnonzero(np.diff(s)), len(s) - 1]  # last index of each run of equal scores
    tps = np.cumsum(y)[ends].astype(np.float64)
    fps = (ends + 1) - tps
    return fps, tps, s[ends]


def roc_curve(y_true: np.ndarray, y_score: np.ndarray,
              drop_intermediate: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    y, s = _check(y_true, y_score)
    fps, tps, thresholds = _counts(y, s)
    if drop_intermediate and len(fps) > 2:
        corner = (np.diff(fps, 2) != 0) | (np.diff(tps, 2) != 0)
        keep = np.r_[True, corner, True]
        fps, tps, thresholds = fps[keep], tps[keep], thresholds[keep]
    fps, tps = np.r_[0.0, fps], np.r_[0.0, tps]
    return fps / fps[-1], tps / tps[-1], np.r_[np.inf, thresholds]


def roc_auc_score(y_true: np.ndarray, y_score: np.ndarray) -> float:
    fpr, tpr, _ = roc_curve(y_true, y_score)
    return float(np.sum(np.diff(fpr) * (tpr[1:] + tpr[:-1]) / 2))


def auc_by_ranks(y_true: np.ndarray, y_score: np.ndarray) -> float:
    y, s = _check(y_true, y_score)
    order = np.argsort(s, kind="mergesort")
    sorted_s = s[order]
    # Average rank of each run of equal scores: runs [start, end) get (start + 1 + end) / 2.
    starts = np.r_[0, np.flatnonzero(np.diff(sorted_s)) + 1]
    ends = np.r_[starts[1:], len(s)]
    ranks = np.empty(len(s))
    ranks[order] = np.repeat((starts + 1 + ends) / 2, ends - starts)
    n_pos = int(y.sum())
    n_neg = len(y) - n_pos
    return float((ranks[y == 1].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))
