"""ml-02-3: L2-regularized logistic regression and its decision boundary. Edit this file; `grader check ml-02-3`."""
from __future__ import annotations

from typing import Protocol

import numpy as np
from matplotlib.figure import Figure


class ProbabilisticClassifier(Protocol):
    """Anything with sklearn's binary predict_proba (given)."""

    def predict_proba(self, X: np.ndarray) -> np.ndarray: ...


def objective(w: np.ndarray, b: float, X: np.ndarray, y: np.ndarray, C: float) -> tuple[float, np.ndarray, float]:
    """scikit-learn's L2-penalized logistic objective, its value and gradient:

        F(w, b) = C · Σ_i [ log(1 + e^(z_i)) − y_i z_i ] + ½ ‖w‖²,      z_i = x_i·w + b
        ∇_w F   = C · Xᵀ(σ(z) − y) + w,        ∂F/∂b = C · Σ_i (σ(z_i) − y_i)

    The log-loss is summed (not averaged) and the intercept b is not penalized.

    Shapes:
        w: (d,), b: scalar, X: (n, d), y: (n,) in {0, 1}, C > 0
        returns: (F: float, grad_w: (d,), grad_b: float)
    """
    raise NotImplementedError("objective: C * summed log-loss + 0.5 * ||w||^2, and its gradient")


class L2LogisticRegression:
    """Binary logistic regression with scikit-learn's L2 penalty (C = inverse regularization strength).

    fit(X, y) minimises `objective` over (w, b) until the gradient's Euclidean norm is <= tol (or
    max_iter iterations). Any method that gets there passes; Newton's method with a backtracking line
    search converges in a handful of iterations (see the README).

    Fitted attributes (fit returns self):
        coef_: (1, d);  intercept_: (1,);  n_iter_: int

    Shapes:
        X: (n, d) float64, y: (n,) in {0, 1}
        decision_function(X): (m,);  predict_proba(X): (m, 2) columns [P(y=0), P(y=1)];  predict(X): (m,) ints
    """

    def __init__(self, C: float = 1.0, tol: float = 1e-8, max_iter: int = 100) -> None:
        self.C = C
        self.tol = tol
        self.max_iter = max_iter

    def fit(self, X: np.ndarray, y: np.ndarray) -> L2LogisticRegression:
        raise NotImplementedError("L2LogisticRegression.fit: minimise `objective` (Newton's method)")

    def decision_function(self, X: np.ndarray) -> np.ndarray:
        raise NotImplementedError("L2LogisticRegression.decision_function: X @ w + b")

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        raise NotImplementedError("L2LogisticRegression.predict_proba: [1 - σ(z), σ(z)]")

    def predict(self, X: np.ndarray) -> np.ndarray:
        raise NotImplementedError("L2LogisticRegression.predict: 1 where the logit is > 0")


def decision_boundary(coef: np.ndarray, intercept: np.ndarray, xlim: tuple[float, float],
                      ylim: tuple[float, float], num: int = 100) -> np.ndarray:
    """`num` evenly spaced points of the line w₀·x + w₁·y + b = 0 of a two-feature linear classifier.

    If |w₁| >= |w₀| the line is parametrised by x: x runs over np.linspace(*xlim, num) and y is solved
    for. Otherwise (steeper than 45°) by y: y runs over np.linspace(*ylim, num) and x is solved for.

    Shapes:
        coef: (1, 2) as sklearn's coef_;  intercept: (1,);  returns: (num, 2) float64, columns (x, y)

    Raises:
        ValueError: if w = 0 (no boundary).
    """
    raise NotImplementedError("decision_boundary: solve w0*x + w1*y + b = 0 for the dependent coordinate")


def probability_grid(model: ProbabilisticClassifier, xlim: tuple[float, float], ylim: tuple[float, float],
                     nx: int = 60, ny: int = 50) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """P(y=1) of `model` over a grid, laid out as np.meshgrid (indexing="xy") lays it out.

    xx[i, j] = np.linspace(*xlim, nx)[j],  yy[i, j] = np.linspace(*ylim, ny)[i],
    P[i, j] = model.predict_proba([[xx[i, j], yy[i, j]]])[0, 1]   (computed in one batched call).

    Shapes:
        returns: (xx, yy, P), each (ny, nx) float64
    """
    raise NotImplementedError("probability_grid: meshgrid, one batched predict_proba, reshape")


def plot_decision_boundary(model: L2LogisticRegression, X: np.ndarray, y: np.ndarray, xlim: tuple[float, float],
                           ylim: tuple[float, float]) -> Figure:
    """The picture: a matplotlib Figure whose first axes shows
      - the probability surface, `contourf` of probability_grid(model, xlim, ylim);
      - the data, one `scatter` of X coloured by y;
      - the boundary, one `plot` line through decision_boundary(model.coef_, model.intercept_, xlim, ylim);
    with the view set to xlim and ylim and axis labels "feature 0" and "feature 1". A colorbar is optional.
    """
    raise NotImplementedError("plot_decision_boundary: contourf + scatter + boundary line")
