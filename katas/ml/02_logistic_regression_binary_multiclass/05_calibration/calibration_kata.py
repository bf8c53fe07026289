"""ml-02-5: probability calibration. Edit this file; `grader check ml-02-5` tests it."""
from __future__ import annotations

import numpy as np


def calibration_curve(y_true: np.ndarray, y_prob: np.ndarray, n_bins: int = 5,
                      strategy: str = "uniform") -> tuple[np.ndarray, np.ndarray]:
    """The reliability curve, exactly as sklearn.calibration.calibration_curve computes it.

    Bin edges e_0 <= ... <= e_B (B = n_bins): "uniform" uses np.linspace(0, 1, B + 1); "quantile" uses
    np.percentile(y_prob, np.linspace(0, 1, B + 1) * 100), exactly this expression (edges repeat when
    y_prob has ties, and an edge often lands exactly on a tied value: computing the percentages as
    np.linspace(0, 100, B + 1) rounds differently and can move a whole tie into the next bin).
    Bins are closed on the right: bin j holds the p with e_j < p <= e_{j+1}, and bin 0 also holds
    every p <= e_1. (That is np.searchsorted(edges[1:-1], p), with numpy's default side="left".)
    For every non-empty bin, in bin order:
        prob_true = fraction of positives in the bin,  prob_pred = mean of y_prob in the bin.
    Empty bins are left out.

    Shapes:
        y_true: (n,) in {0, 1};  y_prob: (n,) in [0, 1]
        returns: (prob_true, prob_pred), each (number of non-empty bins,) float64

    Raises:
        ValueError: for an unknown strategy or probabilities outside [0, 1].
    """
    raise NotImplementedError("calibration_curve: bin the probabilities, average labels and probabilities per bin")


def brier_score(y_true: np.ndarray, y_prob: np.ndarray, sample_weight: np.ndarray | None = None) -> float:
    """Mean squared difference between the predicted probability of class 1 and the 0/1 outcome:
    Σ_i s_i (y_prob_i − y_i)² / Σ_i s_i (s_i = 1 without sample_weight)."""
    raise NotImplementedError("brier_score: (weighted) mean of (p - y)^2")


def platt_scaling(scores: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Platt's sigmoid calibration of raw scores: P(y=1 | s) = 1 / (1 + exp(A·s + B)).

    (A, B) minimise the cross-entropy Σ_i −[t_i log p_i + (1 − t_i) log(1 − p_i)], p_i = 1/(1 + exp(A s_i + B)),
    against Platt's smoothed targets (N₊ positives, N₋ negatives):
        t_i = (N₊ + 1) / (N₊ + 2) for positives,     t_i = 1 / (N₋ + 2) for negatives.
    This is what sklearn's CalibratedClassifierCV(method="sigmoid") fits. Solve it to high precision
    (the tests allow about 1e-7): Newton's method on the two parameters converges in a few steps.

    Shapes:
        scores: (n,) float64;  y: (n,) in {0, 1}, both classes present
        returns: (A, B) as floats (A is negative when higher scores mean "more likely positive")
    """
    raise NotImplementedError("platt_scaling: Newton's method on (A, B) with smoothed targets")


def pool_adjacent_violators(y: np.ndarray, sample_weight: np.ndarray | None = None) -> np.ndarray:
    """The non-decreasing sequence closest to y in weighted least squares (isotonic regression).

    Returns f minimising Σ_i w_i (y_i − f_i)² subject to f_0 <= f_1 <= ... <= f_{n-1}, by the
    pool-adjacent-violators algorithm: sweep left to right keeping blocks (weighted mean, total weight);
    whenever a block's mean is below the previous block's mean, merge them, and keep merging backwards
    while the violation persists.

    Shapes:
        y: (n,) float64;  sample_weight: (n,) positive or None (all 1)
        returns: (n,) float64, non-decreasing
    """
    raise NotImplementedError("pool_adjacent_violators: a stack of (mean, weight, count) blocks")


class IsotonicCalibrator:
    """Isotonic calibration of raw scores, like sklearn's IsotonicRegression(out_of_bounds="clip").

    fit(scores, y) returns self and sets
        X_thresholds_: (m,) the distinct scores, sorted increasingly;
        y_thresholds_: (m,) the calibrated probability at each of them: pool_adjacent_violators of the
            mean label of each distinct score, weighted by how many samples share that score.
    predict(s): linear interpolation between the thresholds (np.interp), constant beyond the first
    and last threshold (clipped).

    Shapes:
        scores: (n,) float64, y: (n,) in {0, 1};  predict: (k,) -> (k,) float64 in [0, 1]
    """

    def fit(self, scores: np.ndarray, y: np.ndarray) -> IsotonicCalibrator:
        raise NotImplementedError("IsotonicCalibrator.fit: merge tied scores, then PAVA")

    def predict(self, scores: np.ndarray) -> np.ndarray:
        raise NotImplementedError("IsotonicCalibrator.predict: np.interp between the thresholds")
