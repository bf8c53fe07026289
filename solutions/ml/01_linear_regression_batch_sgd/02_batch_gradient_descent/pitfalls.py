"""Plausible wrong versions of batch gradient descent that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from batch_gd import Figure, GDResult, loss_and_gradient


@pitfall(replaces="loss_and_gradient", why="gradient summed over samples instead of averaged (no 1/n)")
def summed_gradient(X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float) -> tuple[float, np.ndarray, float]:
    r = X @ w + b - y
    return float(r @ r / (2 * len(y))), X.T @ r, float(r.sum())


@pitfall(replaces="loss_and_gradient", why="gradient of the plain MSE (2/n Xᵀr) while the loss is the half MSE")
def gradient_of_full_mse(X: np.ndarray, y: np.ndarray, w: np.ndarray, b: float) -> tuple[float, np.ndarray, float]:
    r = X @ w + b - y
    return float(r @ r / (2 * len(y))), 2 * X.T @ r / len(y), float(2 * r.mean())


@pitfall(replaces="lipschitz_constant", why="ignores the intercept's column of ones in X̃")
def lipschitz_without_ones(X: np.ndarray, fit_intercept: bool = True) -> float:
    X = np.asarray(X, dtype=np.float64)
    return float(np.linalg.eigvalsh(X.T @ X / len(X))[-1])


@pitfall(replaces="lipschitz_constant", why="largest singular value of X̃/√n instead of its square")
def lipschitz_not_squared(X: np.ndarray, fit_intercept: bool = True) -> float:
    X = np.asarray(X, dtype=np.float64)
    Xt = np.column_stack([X, np.ones(len(X))]) if fit_intercept else X
    return float(np.linalg.norm(Xt / np.sqrt(len(X)), 2))


@pitfall(replaces="batch_gradient_descent", why="records the loss after each step only: the start point is missing")
def losses_after_each_step(X: np.ndarray, y: np.ndarray, lr: float, max_iter: int = 1000, tol: float = 0.0,
                           fit_intercept: bool = True) -> GDResult:
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64)
    w, b = np.zeros(X.shape[1]), 0.0
    losses, grad_norms = [], []
    steps = 0
    while steps < max_iter:
        _, gw, gb = loss_and_gradient(X, y, w, b)
        gb = gb if fit_intercept else 0.0
        if np.sqrt(gw @ gw + gb * gb) <= tol:
            break
        w, b = w - lr * gw, b - lr * gb
        steps += 1
        loss, gw, gb = loss_and_gradient(X, y, w, b)
        gb = gb if fit_intercept else 0.0
        losses.append(loss)
        grad_norms.append(float(np.sqrt(gw @ gw + gb * gb)))
    return GDResult(w, float(b), np.array(losses), np.array(grad_norms), steps, bool(grad_norms and grad_norms[-1] <= tol))


@pitfall(replaces="batch_gradient_descent", why="updates the weights but never the intercept")
def intercept_never_updated(X: np.ndarray, y: np.ndarray, lr: float, max_iter: int = 1000, tol: float = 0.0,
                            fit_intercept: bool = True) -> GDResult:
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64)
    w = np.zeros(X.shape[1])
    losses, grad_norms = [], []
    k = 0
    while True:
        loss, gw, gb = loss_and_gradient(X, y, w, 0.0)
        gb = gb if fit_intercept else 0.0
        losses.append(loss)
        grad_norms.append(float(np.sqrt(gw @ gw + gb * gb)))
        if grad_norms[-1] <= tol or k == max_iter:
            break
        w = w - lr * gw
        k += 1
    return GDResult(w, 0.0, np.array(losses), np.array(grad_norms), k, grad_norms[-1] <= tol)


@pitfall(replaces="batch_gradient_descent", why="checks the tolerance after stepping: one step too many, and the "
                                                "recorded norms lag the iterates")
def tol_checked_after_step(X: np.ndarray, y: np.ndarray, lr: float, max_iter: int = 1000, tol: float = 0.0,
                           fit_intercept: bool = True) -> GDResult:
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64)
    w, b = np.zeros(X.shape[1]), 0.0
    losses, grad_norms = [], []
    k = 0
    while True:
        loss, gw, gb = loss_and_gradient(X, y, w, b)
        gb = gb if fit_intercept else 0.0
        losses.append(loss)
        grad_norms.append(float(np.sqrt(gw @ gw + gb * gb)))
        if k == max_iter:
            break
        w, b = w - lr * gw, b - lr * gb
        k += 1
        if grad_norms[-1] <= tol:
            break
    return GDResult(w, float(b), np.array(losses), np.array(grad_norms), k, grad_norms[-1] <= tol)


@pitfall(replaces="plot_loss_curve", why="plots the loss on a linear scale, where linear convergence is invisible")
def linear_scale_plot(result: GDResult) -> Figure:
    fig = Figure()
    ax_loss, ax_grad = fig.subplots(1, 2)
    ax_loss.plot(result.losses)
    ax_loss.set(xlabel="iteration", ylabel="loss")
    ax_grad.plot(result.grad_norms)
    ax_grad.set(xlabel="iteration", ylabel="gradient norm")
    return fig


@pitfall(replaces="batch_gradient_descent", why="stops only when the gradient norm is strictly below tol: a norm "
         "exactly equal to tol takes one more step")
def strict_tolerance(X: np.ndarray, y: np.ndarray, lr: float, max_iter: int = 1000, tol: float = 0.0,
                     fit_intercept: bool = True) -> GDResult:
    w, b = np.zeros(X.shape[1]), 0.0
    losses, grad_norms = [], []
    k = 0
    while True:
        loss, gw, gb = loss_and_gradient(X, y, w, b)
        gb = gb if fit_intercept else 0.0
        gnorm = float(np.sqrt(gw @ gw + gb * gb))
        losses.append(loss)
        grad_norms.append(gnorm)
        if gnorm < tol or k == max_iter:
            break
        w, b, k = w - lr * gw, b - lr * gb, k + 1
    return GDResult(w, float(b), np.array(losses), np.array(grad_norms), k, grad_norms[-1] < tol)

