"""Plausible wrong versions of ridge regression that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from ridge import Ridge, ridge_loss_and_grad


@pitfall(replaces="Ridge._fit_closed_form", why="penalises the intercept: a column of ones inside the ridge system")
def penalised_intercept(self: Ridge, X: np.ndarray, y: np.ndarray) -> None:
    Xt = np.hstack([X, np.ones((len(X), 1))]) if self.fit_intercept else X
    theta = np.linalg.solve(Xt.T @ Xt + self.alpha * np.eye(Xt.shape[1]), Xt.T @ y)
    self.coef_ = theta[: X.shape[1]]
    self.intercept_ = float(theta[-1]) if self.fit_intercept else 0.0


@pitfall(replaces="Ridge._fit_closed_form", why="centres y but not X: the intercept is just mean(y)")
def centres_y_only(self: Ridge, X: np.ndarray, y: np.ndarray) -> None:
    y_mean = y.mean() if self.fit_intercept else 0.0
    self.coef_ = np.linalg.solve(X.T @ X + self.alpha * np.eye(X.shape[1]), X.T @ (y - y_mean))
    self.intercept_ = float(y_mean)


@pitfall(replaces="Ridge._fit_closed_form", why="mean squared error: solves (X^T X / n + alpha I), i.e. alpha scaled by n")
def mean_not_sum(self: Ridge, X: np.ndarray, y: np.ndarray) -> None:
    x_mean = X.mean(axis=0) if self.fit_intercept else np.zeros(X.shape[1])
    y_mean = y.mean() if self.fit_intercept else 0.0
    Xc, yc = X - x_mean, y - y_mean
    n = len(X)
    self.coef_ = np.linalg.solve(Xc.T @ Xc / n + self.alpha * np.eye(X.shape[1]), Xc.T @ yc / n)
    self.intercept_ = float(y_mean - x_mean @ self.coef_)


@pitfall(replaces="ridge_loss_and_grad", why="penalty gradient alpha * w instead of 2 alpha w")
def penalty_gradient_halved(w: np.ndarray, b: float, X: np.ndarray, y: np.ndarray,
                            alpha: float) -> tuple[float, np.ndarray, float]:
    r = y - X @ w - b
    return float(r @ r + alpha * (w @ w)), -2.0 * X.T @ r + alpha * w, float(-2.0 * r.sum())


@pitfall(replaces="ridge_loss_and_grad", why="gradient of the residual with the wrong sign: +2 X^T r")
def residual_sign(w: np.ndarray, b: float, X: np.ndarray, y: np.ndarray,
                  alpha: float) -> tuple[float, np.ndarray, float]:
    r = y - X @ w - b
    return float(r @ r + alpha * (w @ w)), 2.0 * X.T @ r + 2.0 * alpha * w, float(2.0 * r.sum())


@pitfall(replaces="Ridge._fit_gd", why="gradient descent never updates the intercept")
def gd_frozen_intercept(self: Ridge, X: np.ndarray, y: np.ndarray) -> None:
    Xt = np.hstack([X, np.ones((X.shape[0], 1))]) if self.fit_intercept else X
    lipschitz = 2.0 * (np.linalg.norm(Xt, 2) ** 2 + self.alpha)
    w = np.zeros(X.shape[1])
    for _ in range(self.max_iter):
        _, gw, _ = ridge_loss_and_grad(w, 0.0, X, y, self.alpha)
        if np.abs(gw).max() <= self.tol:
            break
        w = w - gw / lipschitz
    self.coef_, self.intercept_ = w, 0.0
