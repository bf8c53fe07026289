"""ml-01-2: batch gradient descent for linear regression. Edit this file; `grader check ml-01-2` tests it."""
from __future__ import annotations

from typing import NamedTuple

import numpy as np
from matplotlib.figure import Figure


class GDResult(NamedTuple):
    """What `batch_gradient_descent` returns (given: you do not need to change it)."""

    coef: np.ndarray  # (d,) float64: the weights after the last step
    intercept: float  # the intercept after the last step (0.0 when fit_intercept=False)
    losses: np.ndarray  # (n_iter + 1,) J at the start point and after every step
    grad_norms: np.ndarray  # (n_iter + 1,) the Euclidean norm of the full gradient at the same points
    n_iter: int  # the number of steps taken
    converged: bool  # grad_norms[-1] <= tol


def loss_and_gradient(X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float) -> tuple[float, np.ndarray, float]:
    """The half mean squared error and its gradient.

        J(w, b) = 1/(2n) · ‖X w + b − y‖²
        ∇_w J   = 1/n · Xᵀ(X w + b − y)
        ∂J/∂b   = 1/n · Σ_i (X w + b − y)_i

    Shapes:
        X: (n, d), y: (n,), w: (d,), b: scalar; all float64
        returns: (J: float, grad_w: (d,) float64, grad_b: float)
    """
    raise NotImplementedError("loss_and_gradient: residual r = Xw + b - y, then J, X^T r / n and mean(r)")


def lipschitz_constant(X: np.ndarray, fit_intercept: bool = True) -> float:
    """L, the largest eigenvalue of the Hessian of J: λ_max((1/n) X̃ᵀX̃).

    X̃ is X with a column of ones appended when fit_intercept (the intercept is a parameter too),
    and X itself otherwise. Gradient descent on J decreases the loss at every step iff lr < 2/L.

    Shapes:
        X: (n, d) float64
        returns: float
    """
    raise NotImplementedError("lipschitz_constant: largest eigenvalue of X~^T X~ / n")


def batch_gradient_descent(X: np.ndarray, y: np.ndarray, lr: float, max_iter: int = 1000, tol: float = 0.0,
                           fit_intercept: bool = True) -> GDResult:
    """Full-batch gradient descent on J(w, b), starting from w = 0, b = 0.

    At each iterate k = 0, 1, 2, ...: compute J and the gradient at the current (w, b) and record
    J in `losses` and ‖(∇_w J, ∂J/∂b)‖ in `grad_norms`; then stop if that norm is <= tol
    (converged; a negative tol never stops early) or if k == max_iter (out of budget); otherwise step:
        w <- w − lr · ∇_w J,   b <- b − lr · ∂J/∂b.
    With fit_intercept=False, b stays 0 and is not part of the gradient (or its norm).

    Shapes:
        X: (n, d) float64, y: (n,) float64
        returns: GDResult with losses and grad_norms of length n_iter + 1 (n_iter <= max_iter)
    """
    raise NotImplementedError("batch_gradient_descent: record, check tol, step; repeat")


def plot_loss_curve(result: GDResult) -> Figure:
    """The two convergence diagnostics side by side, as a matplotlib Figure (no pyplot needed).

    Left axes: `result.losses` against the iteration number 0..n_iter, y on a log scale,
    x label "iteration", y label "loss". Right axes: `result.grad_norms` the same way, y label
    "gradient norm". One line per axes.
    """
    raise NotImplementedError("plot_loss_curve: Figure with two log-scale axes")
