"""prod-05-2: reweighing and per-group thresholds. Edit this file; `grader check prod-05-2` tests it."""
from __future__ import annotations

import numpy as np


def reweighing_weights(y: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Kamiran & Calders' reweighing: w_i = P(g_i) P(y_i) / P(g_i, y_i), all probabilities empirical.

    When every group has both labels, the label is independent of the group under these weights:
    every group's weighted positive rate equals the overall positive rate, and the weights sum to n.

    Shapes:
        y: (n,) of 0/1; groups: (n,) labels; returns: (n,) float64

    Raises:
        ValueError: if the arrays are empty, not 1-D or of different lengths, or y is not 0/1.
    """
    raise NotImplementedError("reweighing_weights: expected over observed cell frequency")


def parity_thresholds(scores: np.ndarray, groups: np.ndarray, rate: float) -> dict:
    """Per-group thresholds that select the same fraction `rate` of every group (demographic parity).

    For a group of n_g examples, k = ceil(rate * n_g) (rate * n_g rounded to 9 decimals first, so
    0.14 * 50 = 7.000000000000001 gives 7) and the threshold is the k-th largest score of the group: selecting
    score >= threshold then picks exactly k of its examples when scores are distinct.

    Shapes:
        scores: (n,); groups: (n,); returns: {group label: threshold}

    Raises:
        ValueError: if rate is not in (0, 1], or the arrays are empty, not 1-D or of different lengths.
    """
    raise NotImplementedError("parity_thresholds: the k-th largest score of each group")


def opportunity_thresholds(scores: np.ndarray, y: np.ndarray, groups: np.ndarray, tpr: float) -> dict:
    """Per-group thresholds giving every group the same true-positive rate `tpr` (equal opportunity).

    As parity_thresholds, but counting only the group's positives (y = 1): k = ceil(tpr * n_pos_g)
    (rounded to 9 decimals first), threshold = the k-th largest score among them.

    Shapes:
        scores, y, groups: (n,); returns: {group label: threshold}

    Raises:
        ValueError: if tpr is not in (0, 1], y is not 0/1, a group has no positive example, or the arrays
            are empty, not 1-D or of different lengths.
    """
    raise NotImplementedError("opportunity_thresholds: the k-th largest positive score of each group")


def apply_thresholds(scores: np.ndarray, groups: np.ndarray, thresholds: dict) -> np.ndarray:
    """Predictions score >= thresholds[group] (a score equal to its threshold is selected).

    Shapes:
        scores, groups: (n,); returns: (n,) bool

    Raises:
        ValueError: if some group has no threshold.
    """
    raise NotImplementedError("apply_thresholds: compare each score with its group's threshold")
