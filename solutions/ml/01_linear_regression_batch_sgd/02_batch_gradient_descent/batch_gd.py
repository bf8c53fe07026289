"""Reference solution for ml-01-2."""
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
    n = len(y)
    r = X @ w + b - y
    return float(r @ r / (2 * n)), X.T @ r / n, float(r.mean())


def lipschitz_constant(X: np.ndarray, fit_intercept: bool = True) -> float:
    X = np.asarray(X, dtype=np.float64)
    Xt = np.column_stack([X, np.ones(len(X))]) if fit_intercept else X
    return float(np.linalg.eigvalsh(Xt.T @ Xt / len(X))[-1])


def batch_gradient_descent(X: np.ndarray, y: np.ndarray, lr: float, max_iter: int = 1000, tol: float = 0.0,
                           fit_intercept: bool = True) -> GDResult:
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64)
    w, b = np.zeros(X.shape[1]), 0.0
    losses, grad_norms = [], []
    k = 0
    while True:
        loss, gw, gb = loss_and_gradient(X, y, w, b)
        if not fit_intercept:
            gb = 0.0
        gnorm = float(np.sqrt(gw @ gw + gb * gb))
        losses.append(loss)
        grad_norms.append(gnorm)
        if gnorm <= tol or k == max_iter:
            break
        w = w - lr * gw
        b = b - lr * gb
        k += 1
    return GDResult(w, float(b), np.array(losses), np.array(grad_norms), k, grad_norms[-1] <= tol)


def plot_loss_curve(result: GDResult) -> Figure:
    fig = Figure(figsize=(9, 3.5), layout="constrained")
    ax_loss, ax_grad = fig.subplots(1, 2)
    steps = np.arange(len(result.losses))
    ax_loss.plot(steps, result.losses)
    ax_loss.set(yscale="log", xlabel="iteration", ylabel="loss", title="J(w_k)")
    ax_grad.plot(steps, result.grad_norms)
    ax_grad.set(yscale="log", xlabel="iteration", ylabel="gradient norm", title="‖∇J(w_k)‖")
    return fig
