"""ml-07-1: ridge regression, closed form and gradient descent. Edit this file; `grader check ml-07-1` tests it."""
from __future__ import annotations

import numpy as np


def ridge_loss_and_grad(w: np.ndarray, b: float, X: np.ndarray, y: np.ndarray,
                        alpha: float) -> tuple[float, np.ndarray, float]:
    """The ridge objective L(w, b) = ||y - X w - b||^2 + alpha ||w||^2 (sum, not mean; the
    intercept b is not penalised) and its gradient.

    Shapes:
        w: (d,) float64;  b: float;  X: (n, d) float64;  y: (n,) float64;  alpha >= 0
        returns: (L as a Python float, dL/dw (d,) float64, dL/db as a Python float)
    """
    raise NotImplementedError("ridge_loss_and_grad: residual, squared norm, and the two gradients")


class Ridge:
    """Ridge regression with the objective of `ridge_loss_and_grad` (sklearn.linear_model.Ridge's).

    solver="closed_form": solve the regularised normal equations (centre X and y first when
        fit_intercept, then intercept_ = mean(y) - mean(X) @ coef_).
    solver="gd": gradient descent on (w, b) from zeros with the step 1/Lip, where
        Lip = 2 (sigma_max(X1)^2 + alpha) and X1 is X with a column of ones appended when
        fit_intercept (X itself otherwise); stop as soon as every entry of the gradient is at most
        tol in absolute value, or after max_iter steps. (Without an intercept, b stays 0.)

    Fitted attributes (set by `fit`):
        coef_: (d,) float64
        intercept_: float (0.0 when fit_intercept=False)
    """

    def __init__(self, alpha: float = 1.0, fit_intercept: bool = True, solver: str = "closed_form",
                 max_iter: int = 20000, tol: float = 1e-9) -> None:
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.solver = solver
        self.max_iter = max_iter
        self.tol = tol

    def fit(self, X: np.ndarray, y: np.ndarray) -> Ridge:
        """Shapes:
            X: (n, d) float64;  y: (n,) float64
            returns: self

        Raises:
            ValueError: if alpha < 0 or solver is not "closed_form" or "gd".
        """
        raise NotImplementedError("Ridge.fit: closed form (np.linalg.solve) or gradient descent")

    def predict(self, X: np.ndarray) -> np.ndarray:
        """Shapes:
            X: (m, d) float64
            returns: (m,) float64, X @ coef_ + intercept_
        """
        raise NotImplementedError("Ridge.predict: linear prediction")
