"""ml-07-5: regulariser ablation, train and test error against strength. Edit this file; `grader check ml-07-5` tests it."""
from __future__ import annotations

from typing import NamedTuple

import matplotlib.pyplot as plt  # noqa: F401  (for plot_ablation)
import numpy as np
from matplotlib.figure import Figure


class AblationResult(NamedTuple):
    """What `ablation_curve` returns (given: you do not need to change it)."""

    alphas: np.ndarray  # (k,) the regularisation strengths, in the order they were given
    train_mse: np.ndarray  # (k,) mean squared error on the training set
    test_mse: np.ndarray  # (k,) mean squared error on the test set
    coef_norm: np.ndarray  # (k,) Euclidean norm of the coefficients (intercept excluded)
    coefs: np.ndarray  # (k, d) the fitted coefficients


def ridge_fit(X: np.ndarray, y: np.ndarray, alpha: float) -> tuple[np.ndarray, float]:
    """Ridge regression with an unpenalised intercept: min ||y - X w - b||^2 + alpha ||w||^2
    (sklearn.linear_model.Ridge's objective). alpha = 0 is ordinary least squares (use a solver
    that copes with a singular system, e.g. np.linalg.lstsq).

    Shapes:
        X: (n, d) float64;  y: (n,) float64;  alpha >= 0
        returns: (coef (d,) float64, intercept as a Python float)
    """
    raise NotImplementedError("ridge_fit: centre, solve (Xc^T Xc + alpha I) w = Xc^T yc, recover b")


def ablation_curve(X_train: np.ndarray, y_train: np.ndarray, X_test: np.ndarray, y_test: np.ndarray,
                   alphas: np.ndarray) -> AblationResult:
    """Fit ridge on the training set for every alpha and measure it on both sets.

    Shapes:
        X_train: (n, d);  y_train: (n,);  X_test: (m, d);  y_test: (m,);  alphas: (k,) >= 0, any order
        returns: AblationResult, every array in the order of `alphas`; result.alphas is a new
            array (a copy), never the caller's `alphas` itself
    """
    raise NotImplementedError("ablation_curve: one ridge fit per alpha, train and test MSE, coefficient norm")


def best_alpha(result: AblationResult) -> float:
    """The alpha with the smallest TEST error (the first one on a tie)."""
    raise NotImplementedError("best_alpha: argmin of the test error")


def plot_ablation(result: AblationResult) -> Figure:
    """A figure with two axes side by side, both with a logarithmic x axis labelled "alpha" and
    the points in increasing alpha:
      left: the lines labelled "train" and "test" (y label "MSE"), a vertical line at
            best_alpha(result) labelled "best alpha", and a legend;
      right: one line, the coefficient norm (y label "||w||").
    Returns the matplotlib Figure (do not call plt.show()).
    """
    raise NotImplementedError("plot_ablation: two log-x axes, errors on the left, coefficient norm on the right")
