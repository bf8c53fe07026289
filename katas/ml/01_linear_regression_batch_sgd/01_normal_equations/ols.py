"""ml-01-1: ordinary least squares via the normal equations. Edit this file; `grader check ml-01-1` tests it."""
from __future__ import annotations

import numpy as np


def solve_normal_equations(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The least-squares solution w of X w ≈ y, from the normal equations (XᵀX) w = Xᵀy.

    No intercept here: this is the bare linear-algebra step. Solve the d×d system with
    `np.linalg.solve` (or a Cholesky factorisation); do not form the inverse.

    Shapes:
        X: (n, d) float64 with full column rank (n >= d)
        y: (n,) or (n, k) float64
        returns: (d,) when y is (n,), (d, k) when y is (n, k); float64
    """
    raise NotImplementedError("solve_normal_equations: solve (X^T X) w = X^T y")


class LinearRegressionNE:
    """Ordinary least squares fitted with the normal equations, with scikit-learn's interface.

    With `fit_intercept=True` the model is y ≈ X w + b. Fit it by centring: subtract the column
    means x̄ of X and the mean ȳ of y, solve the normal equations on the centred data for w, then
    b = ȳ - x̄·w. With `fit_intercept=False` the model is y ≈ X w and the intercept is 0.

    Fitted attributes (set by `fit`, which returns self):
        coef_: (d,) when y is (n,); (k, d) when y is (n, k) (one row per output, as sklearn)
        intercept_: a float when y is (n,); a (k,) array when y is (n, k); zeros without intercept

    Shapes:
        X: (n, d) float64, full column rank (after centring, if fit_intercept)
        y: (n,) or (n, k) float64
        predict(X): (m, d) -> (m,) or (m, k), the same layout as the y used in fit
    """

    def __init__(self, fit_intercept: bool = True) -> None:
        self.fit_intercept = fit_intercept

    def fit(self, X: np.ndarray, y: np.ndarray) -> LinearRegressionNE:
        raise NotImplementedError("LinearRegressionNE.fit: centre, solve the normal equations, recover b")

    def predict(self, X: np.ndarray) -> np.ndarray:
        raise NotImplementedError("LinearRegressionNE.predict: X @ coef_.T + intercept_")
