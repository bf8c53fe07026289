"""Plausible wrong ROC/AUC implementations that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from roc import _check, _counts, roc_curve


@pitfall(replaces="_counts", why="one point per sample: tied scores are not grouped into one threshold")
def no_tie_grouping(y: np.ndarray, s: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    order = np.argsort(-s, kind="mergesort")
    s, y = s[order], y[order]
    tps = np.cumsum(y).astype(np.float64)
    return np.arange(1, len(y) + 1) - tps, tps, s


@pitfall(replaces="_counts", why="sorts scores ascending: low scores are treated as positive")
def ascending_scores(y: np.ndarray, s: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    order = np.argsort(s, kind="mergesort")
    s, y = s[order], y[order]
    ends = np.r_[np.flatnonzero(np.diff(s)), len(s) - 1]
    tps = np.cumsum(y)[ends].astype(np.float64)
    return (ends + 1) - tps, tps, s[ends]


@pitfall(replaces="roc_curve", why="no extra first point: the curve does not start at (0, 0) with threshold inf")
def no_origin(y_true: np.ndarray, y_score: np.ndarray,
              drop_intermediate: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    y, s = _check(y_true, y_score)
    fps, tps, thresholds = _counts(y, s)
    if drop_intermediate and len(fps) > 2:
        keep = np.r_[True, (np.diff(fps, 2) != 0) | (np.diff(tps, 2) != 0), True]
        fps, tps, thresholds = fps[keep], tps[keep], thresholds[keep]
    return fps / fps[-1], tps / tps[-1], thresholds


@pitfall(replaces="roc_curve", why="drops collinear points after prepending (0, 0), so the first real point can go")
def drop_after_origin(y_true: np.ndarray, y_score: np.ndarray,
                      drop_intermediate: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    y, s = _check(y_true, y_score)
    fps, tps, thresholds = _counts(y, s)
    fps, tps, thresholds = np.r_[0.0, fps], np.r_[0.0, tps], np.r_[np.inf, thresholds]
    if drop_intermediate and len(fps) > 2:
        keep = np.r_[True, (np.diff(fps, 2) != 0) | (np.diff(tps, 2) != 0), True]
        fps, tps, thresholds = fps[keep], tps[keep], thresholds[keep]
    return fps / fps[-1], tps / tps[-1], thresholds


@pitfall(replaces="roc_curve", why="fpr divides by the number of samples, not the number of negatives")
def fpr_over_all_samples(y_true: np.ndarray, y_score: np.ndarray,
                         drop_intermediate: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    y, s = _check(y_true, y_score)
    fps, tps, thresholds = _counts(y, s)
    if drop_intermediate and len(fps) > 2:
        keep = np.r_[True, (np.diff(fps, 2) != 0) | (np.diff(tps, 2) != 0), True]
        fps, tps, thresholds = fps[keep], tps[keep], thresholds[keep]
    fps, tps = np.r_[0.0, fps], np.r_[0.0, tps]
    return fps / len(y), tps / tps[-1], np.r_[np.inf, thresholds]


@pitfall(replaces="roc_auc_score", why="rectangles under the lower corner (a step function): ties lose their half credit")
def staircase_area(y_true: np.ndarray, y_score: np.ndarray) -> float:
    fpr, tpr, _ = roc_curve(y_true, y_score)
    return float(np.sum(np.diff(fpr) * tpr[:-1]))


@pitfall(replaces="auc_by_ranks", why="ordinal ranks for ties (no averaging): depends on the input order")
def ordinal_ranks(y_true: np.ndarray, y_score: np.ndarray) -> float:
    y, s = _check(y_true, y_score)
    ranks = np.empty(len(s))
    ranks[np.argsort(s, kind="mergesort")] = np.arange(1, len(s) + 1)
    n_pos = int(y.sum())
    return float((ranks[y == 1].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * (len(y) - n_pos)))


def _drop_with(y_true: np.ndarray, y_score: np.ndarray, drop_intermediate: bool,
               rule: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    y, s = _check(y_true, y_score)
    fps, tps, thresholds = _counts(y, s)
    if drop_intermediate and len(fps) > 2:
        bends_f, bends_t = np.diff(fps, 2) != 0, np.diff(tps, 2) != 0
        corner = bends_f & bends_t if rule == "both" else bends_f
        keep = np.r_[True, corner, True]
        fps, tps, thresholds = fps[keep], tps[keep], thresholds[keep]
    fps, tps = np.r_[0.0, fps], np.r_[0.0, tps]
    return fps / fps[-1], tps / tps[-1], np.r_[np.inf, thresholds]


@pitfall(replaces="roc_curve", why="a corner needs both counts to bend (& instead of |): a tie that bends only one "
         "count loses its point")
def corner_needs_both(y_true: np.ndarray, y_score: np.ndarray,
                      drop_intermediate: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return _drop_with(y_true, y_score, drop_intermediate, "both")


@pitfall(replaces="roc_curve", why="looks for corners in fps only: where only tps bends (a tie), the point is dropped")
def corner_in_fps_only(y_true: np.ndarray, y_score: np.ndarray,
                       drop_intermediate: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return _drop_with(y_true, y_score, drop_intermediate, "fps")


@pitfall(replaces="roc_curve", why="Hint 2 without the length check: one distinct score crashes with an IndexError")
def no_length_check(y_true: np.ndarray, y_score: np.ndarray,
                    drop_intermediate: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    y, s = _check(y_true, y_score)
    fps, tps, thresholds = _counts(y, s)
    if drop_intermediate:
        keep = np.r_[True, (np.diff(fps, 2) != 0) | (np.diff(tps, 2) != 0), True]
        fps, tps, thresholds = fps[keep], tps[keep], thresholds[keep]
    fps, tps = np.r_[0.0, fps], np.r_[0.0, tps]
    return fps / fps[-1], tps / tps[-1], np.r_[np.inf, thresholds]
