"""prod-05-1: group fairness metrics. Edit this file; `grader check prod-05-1` tests it."""
from __future__ import annotations

import numpy as np


def selection_rates(y_pred: np.ndarray, groups: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The fraction of positive predictions in each group: P(y_pred = 1 | group = g).

    Shapes:
        y_pred: (n,) of 0/1 (ints or bools); groups: (n,) labels (ints or strings)
        returns: (labels, rates): the sorted distinct group labels (G,) and float64 rates (G,)

    Raises:
        ValueError: if the arrays are empty, not 1-D or of different lengths, or y_pred is not 0/1.
    """
    raise NotImplementedError("selection_rates: mean prediction per group")


def demographic_parity_difference(y_pred: np.ndarray, groups: np.ndarray) -> float:
    """max_g - min_g of the selection rates (0 = parity), as fairlearn's demographic_parity_difference.

    Raises:
        ValueError: as selection_rates.
    """
    raise NotImplementedError("demographic_parity_difference: range of the selection rates")


def disparate_impact(y_pred: np.ndarray, groups: np.ndarray, privileged: object = None) -> float:
    """Ratio of selection rates (1 = parity; below 0.8 fails the "four-fifths rule").

    privileged=None: min_g rate / max_g rate, as fairlearn's demographic_parity_ratio.
    Otherwise: min over the other groups g of rate_g / rate_privileged.

    Raises:
        ValueError: as selection_rates; if the denominator rate is 0; if privileged is not one of the
            groups, or is the only group.
    """
    raise NotImplementedError("disparate_impact: ratio of selection rates")


def equalized_odds_difference(y_true: np.ndarray, y_pred: np.ndarray, groups: np.ndarray) -> float:
    """max(range over groups of the true-positive rate, range of the false-positive rate), as fairlearn's
    equalized_odds_difference (0 = equalized odds).

    TPR_g = P(y_pred = 1 | y_true = 1, g), FPR_g = P(y_pred = 1 | y_true = 0, g).

    Raises:
        ValueError: as selection_rates (for y_true too); if some group has no positive or no negative
            example in y_true (its TPR or FPR is undefined).
    """
    raise NotImplementedError("equalized_odds_difference: worst gap in TPR or FPR")
