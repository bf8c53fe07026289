"""ml-07-2: lasso by coordinate descent with soft-thresholding. Edit this file; `grader check ml-07-2` tests it."""
from __future__ import annotations

import numpy as np


def soft_threshold(x: np.ndarray, t: float) -> np.ndarray:
    """The soft-thresholding operator S(x, t) = sign(x) * max(|x| - t, 0), elementwise: the
    proximal operator of t |.|. Values within [-t, t] become exactly 0; the rest move t towards 0.

    Shapes:
        x: any shape (or a scalar), float64;  t >= 0
        returns: the same shape, float64
    """
    raise NotImplementedError("soft_threshold: shrink towards 0 by t, clip at 0")


class Lasso:
    """The lasso, min_w,b 1/(2n) ||y - X w - b||^2 + alpha ||w||_1 (sklearn.linear_model.Lasso's
    objective), by cyclic coordinate descent.

    Centre X and y when fit_intercept (then intercept_ = mean(y) - mean(X) @ coef_). Start from
    w = 0; one sweep updates w_0, w_1, ..., w_{d-1} in order, each to its exact minimiser given
    the others (the soft-threshold formula). Stop after the first sweep in which no coefficient
    moved by more than tol (absolute), or after max_iter sweeps.

    Fitted attributes (set by `fit`):
        coef_: (d,) float64 (exact zeros for the features the lasso drops)
        intercept_: float (0.0 when fit_intercept=False)
        n_iter_: int, the number of sweeps run
    """

    def __init__(self, alpha: float = 1.0, fit_intercept: bool = True, max_iter: int = 10000,
                 tol: float = 1e-10) -> None:
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol

    def fit(self, X: np.ndarray, y: np.ndarray) -> Lasso:
        """Shapes:
            X: (n, d) float64;  y: (n,) float64
            returns: self

        Raises:
            ValueError: if alpha < 0.
        """
        raise NotImplementedError("Lasso.fit: coordinate descent with soft-thresholding")

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Shapes:
            X: (m, d) float64
            returns: (m,) float64, X @ coef_ + intercept_
        """
        raise NotImplementedError("Lasso.predict: linear prediction")
