"""nlp-39-3: reward-model calibration curves. Edit this file; `grader check nlp-39-3` tests it."""
from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure


def calibration_curve(y: np.ndarray, p: np.ndarray, n_bins: int = 10) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The reliability diagram's data: per probability bin, how often the event happened vs how often it was predicted.

    Bins are n_bins equal slices of [0, 1], closed on the right: (lo, hi], the first one [0, hi].
    A probability exactly on an inner edge belongs to the lower bin. Empty bins are left out.

    Shapes:
        y: (N,) bool, what happened (the first answer was preferred)
        p: (N,) float in [0, 1], the predicted probability of it
        returns: (fraction_positive, mean_predicted, counts), each (number of non-empty bins,)

    Raises:
        ValueError: if n_bins < 1, y and p are not non-empty 1-D arrays of one shape, or a p lies outside [0, 1].
    """
    raise NotImplementedError("calibration_curve: bin p, average y and p in each non-empty bin")


def expected_calibration_error(y: np.ndarray, p: np.ndarray, n_bins: int = 10) -> float:
    """ECE = sum over non-empty bins of (count / N) * |fraction_positive - mean_predicted|.

    Same bins and the same errors as calibration_curve.
    """
    raise NotImplementedError("expected_calibration_error: the count-weighted gap of the calibration curve")


def fit_temperature(margins: np.ndarray, y: np.ndarray) -> float:
    """The temperature T that makes sigmoid(margins / T) fit the outcomes y best.

    T minimises the mean negative log-likelihood mean(-log sigmoid(s_i * margins_i / T)), with
    s_i = +1 where y_i else -1, searched over T in [0.01, 100].

    Shapes:
        margins: (N,) float, reward differences r(A) - r(B)
        y: (N,) bool, whether A was preferred
        returns: float

    Raises:
        ValueError: if margins and y are not non-empty 1-D arrays of one shape.
    """
    raise NotImplementedError("fit_temperature: a 1-D minimisation of the NLL over T (or log T)")


def plot_calibration(curves: dict[str, tuple[np.ndarray, np.ndarray]]) -> Figure:
    """A reliability diagram: the diagonal y = x from (0, 0) to (1, 1), and for each named model one
    line of fraction_positive (y axis) against mean_predicted (x axis); both axes labelled, a legend
    naming every model.

    curves maps a model's name to (fraction_positive, mean_predicted) from calibration_curve.
    """
    raise NotImplementedError("plot_calibration: diagonal plus one line per model")
