"""ml-02-4: ROC curve and AUC. Edit this file; `grader check ml-02-4` tests it."""
from __future__ import annotations

import numpy as np


def roc_curve(y_true: np.ndarray, y_score: np.ndarray,
              drop_intermediate: bool = False) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The ROC curve exactly as sklearn.metrics.roc_curve returns it.

    One point per *distinct* score, thresholds in decreasing order: at threshold t a sample is
    predicted positive iff its score >= t, so tied samples enter the curve together. Let fps[j] and
    tps[j] count the negatives and positives with score >= thresholds[j].

    drop_intermediate=True then keeps point j only if it is the first or the last, or
    fps[j-1] - 2·fps[j] + fps[j+1] != 0 or tps[j-1] - 2·tps[j] + tps[j+1] != 0 (a corner: the
    straight runs in between are redundant). This is done on the counts *before* the next step.

    Finally an extra point is put first: threshold np.inf, fpr = tpr = 0 (nothing predicted positive).
    fpr = fps / (number of negatives), tpr = tps / (number of positives).

    Shapes:
        y_true: (n,) in {0, 1}, both classes present; y_score: (n,) float
        returns: (fpr, tpr, thresholds), each (m + 1,) float64 for m kept thresholds

    Raises:
        ValueError: if y_true does not contain both classes.
    """
    raise NotImplementedError("roc_curve: sort by decreasing score, cumulative counts at each distinct score")


def roc_auc_score(y_true: np.ndarray, y_score: np.ndarray) -> float:
    """Area under the ROC curve by the trapezoidal rule over (fpr, tpr).

    Raises:
        ValueError: if y_true does not contain both classes.
    """
    raise NotImplementedError("roc_auc_score: trapezoids under the curve")


def auc_by_ranks(y_true: np.ndarray, y_score: np.ndarray) -> float:
    """The same AUC from ranks (Mann–Whitney U): the probability that a random positive scores higher
    than a random negative, ties counting one half:

        AUC = (R₊ − n₊(n₊ + 1)/2) / (n₊ · n₋)

    where R₊ is the sum of the ranks (1 = lowest score) of the positives, tied scores sharing the
    average of the ranks they span.

    Raises:
        ValueError: if y_true does not contain both classes.
    """
    raise NotImplementedError("auc_by_ranks: average ranks, then the Mann-Whitney U statistic")
