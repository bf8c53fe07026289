"""ml-11-2: bias-variance decomposition by simulation. Edit this file; `grader check ml-11-2` tests it."""
from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np


class BiasVariance(NamedTuple):
    """Per-test-point decomposition (given)."""

    mse: np.ndarray  # (m,) mean over replicates of (prediction - f)^2
    bias2: np.ndarray  # (m,) (mean prediction - f)^2
    variance: np.ndarray  # (m,) mean over replicates of (prediction - mean prediction)^2


def decompose(predictions: np.ndarray, f_test: np.ndarray) -> BiasVariance:
    """Decompose the squared error of R replicated predictions at m test points around the true
    function values f_test. All three are per test point, averaged over the R replicates (divide by
    R), so that mse = bias2 + variance holds exactly.

    Shapes:
        predictions: (R, m);  f_test: (m,);  returns: BiasVariance of three (m,) float64 arrays
    """
    raise NotImplementedError("decompose")


def simulate_predictions(fit_predict: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray],
                         X_train: np.ndarray, f_train: np.ndarray, X_test: np.ndarray, sigma: float,
                         n_rep: int, rng: np.random.Generator) -> np.ndarray:
    """n_rep training sets at the fixed design X_train: for replicate r, draw
    y_r = f_train + sigma * rng.standard_normal(n) (one call per replicate, in order), then
    predictions[r] = fit_predict(X_train, y_r, X_test).

    Shapes:
        X_train: (n, d);  f_train: (n,);  X_test: (m, d);  returns: (n_rep, m) float64
    """
    raise NotImplementedError("simulate_predictions")


def ridge_bias_variance(X_train: np.ndarray, f_train: np.ndarray, X_test: np.ndarray, f_test: np.ndarray,
                        lam: float, sigma: float) -> tuple[np.ndarray, np.ndarray]:
    """Exact bias^2 and variance at each test point of ridge regression without intercept,
    w = (X^T X + lam I)^-1 X^T y, trained on y = f_train + N(0, sigma^2 I) at the fixed design X_train.

    Shapes:
        returns: (bias2 (m,), variance (m,)) float64
    """
    raise NotImplementedError("ridge_bias_variance")
