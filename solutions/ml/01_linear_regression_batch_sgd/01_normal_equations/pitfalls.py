"""Plausible wrong versions of the normal-equations fit that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from ols import LinearRegressionNE, solve_normal_equations


@pitfall(replaces="LinearRegressionNE.fit", why="intercept_ = mean(y), forgetting the - x̄·w term after centring")
def intercept_is_mean_of_y(self: LinearRegressionNE, X: np.ndarray, y: np.ndarray) -> LinearRegressionNE:
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64)
    x_mean, y_mean = X.mean(axis=0), y.mean(axis=0)
    w = solve_normal_equations(X - x_mean, y - y_mean) if self.fit_intercept else solve_normal_equations(X, y)
    intercept = y_mean if self.fit_intercept else np.zeros(y.shape[1:])
    self.coef_ = w.T
    self.intercept_ = float(intercept) if y.ndim == 1 else intercept
    return self


@pitfall(replaces="LinearRegressionNE.fit", why="ignores fit_intercept: always fits a line through the origin")
def through_the_origin(self: LinearRegressionNE, X: np.ndarray, y: np.ndarray) -> LinearRegressionNE:
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64)
    self.coef_ = solve_normal_equations(X, y).T
    self.intercept_ = 0.0 if y.ndim == 1 else np.zeros(y.shape[1])
    return self


@pitfall(replaces="LinearRegressionNE.fit", why="always centres the data, so fit_intercept=False still fits an intercept")
def always_centres(self: LinearRegressionNE, X: np.ndarray, y: np.ndarray) -> LinearRegressionNE:
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64)
    x_mean, y_mean = X.mean(axis=0), y.mean(axis=0)
    w = solve_normal_equations(X - x_mean, y - y_mean)
    intercept = y_mean - x_mean @ w
    self.coef_ = w.T
    self.intercept_ = float(intercept) if y.ndim == 1 else intercept
    return self


@pitfall(replaces="LinearRegressionNE.fit", why="coef_ left as the (d, k) solution for multi-output y instead of (k, d)")
def coef_not_transposed(self: LinearRegressionNE, X: np.ndarray, y: np.ndarray) -> LinearRegressionNE:
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64)
    x_mean, y_mean = X.mean(axis=0), y.mean(axis=0)
    if not self.fit_intercept:
        x_mean, y_mean = np.zeros_like(x_mean), np.zeros_like(y_mean)
    w = solve_normal_equations(X - x_mean, y - y_mean)
    intercept = y_mean - x_mean @ w
    self.coef_ = w
    self.intercept_ = float(intercept) if y.ndim == 1 else intercept
    return self


@pitfall(replaces="LinearRegressionNE.predict", why="predict forgets to add the intercept")
def predict_without_intercept(self: LinearRegressionNE, X: np.ndarray) -> np.ndarray:
    return np.asarray(X, dtype=np.float64) @ self.coef_.T



@pitfall(replaces="LinearRegressionNE.fit", why="centres the caller's X and y in place (X -= x̄): the right model, but the data are changed")
def centres_in_place(self: LinearRegressionNE, X: np.ndarray, y: np.ndarray) -> LinearRegressionNE:
    if self.fit_intercept:
        x_mean, y_mean = X.mean(axis=0), y.mean(axis=0)
        X -= x_mean
        y -= y_mean
        w = solve_normal_equations(X, y)
        intercept = y_mean - x_mean @ w
    else:
        w = solve_normal_equations(X, y)
        intercept = np.zeros(y.shape[1:])
    self.coef_ = w.T
    self.intercept_ = float(intercept) if y.ndim == 1 else intercept
    return self
