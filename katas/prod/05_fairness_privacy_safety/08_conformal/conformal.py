"""prod-05-8: split conformal prediction. Edit this file; `grader check prod-05-8` tests it."""
from __future__ import annotations

import numpy as np


def conformal_quantile(scores: np.ndarray, alpha: float) -> float:
    """The split-conformal threshold: the k-th smallest calibration score, k = ceil((n + 1)(1 - alpha))
    ((n + 1)(1 - alpha) rounded to 9 decimals before the ceiling); +inf when k > n.

    Shapes:
        scores: (n,); returns: a float (possibly inf)

    Raises:
        ValueError: if alpha is not in (0, 1), or scores is not a non-empty 1-D array.
    """
    raise NotImplementedError("conformal_quantile: the finite-sample corrected order statistic")


def conformal_interval(cal_pred: np.ndarray, cal_y: np.ndarray, test_pred: np.ndarray,
                       alpha: float) -> tuple[np.ndarray, np.ndarray]:
    """Split conformal regression intervals [test_pred - q, test_pred + q], q = conformal_quantile of
    the absolute calibration residuals |cal_y - cal_pred|. Covers a new exchangeable point with
    probability >= 1 - alpha.

    Shapes:
        cal_pred, cal_y: (n,); test_pred: (m,); returns: (lower (m,), upper (m,))

    Raises:
        ValueError: if cal_pred and cal_y differ in shape, and as conformal_quantile.
    """
    raise NotImplementedError("conformal_interval: residual scores, quantile, symmetric band")


def conformal_sets(cal_probs: np.ndarray, cal_labels: np.ndarray, test_probs: np.ndarray,
                   alpha: float) -> np.ndarray:
    """Split conformal classification sets: score = 1 - probability of the true label; the set of a test
    point holds every class k with 1 - test_probs[k] <= q (so a set may be empty or hold every class).

    Shapes:
        cal_probs: (n, K); cal_labels: (n,) ints in [0, K); test_probs: (m, K); returns: (m, K) bool

    Raises:
        ValueError: if cal_probs is not 2-D or cal_labels is not (n,), and as conformal_quantile.
    """
    raise NotImplementedError("conformal_sets: scores of the true labels, quantile, threshold every class")
