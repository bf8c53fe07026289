"""Reference solution for ml-01-1."""
from __future__ import annotations

import numpy as np


def solve_normal_equations(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    X = np.asarray(X, dtype=np.float64)
    y = np.asarray(y, dtype=np.float64)
    return np.linalg.solve(X.T @ X, X.T @ y)


class LinearRegressionNE:
    def __init__(self, fit_intercept: bool = True) -> None:
        self.fit_intercept = fit_intercept

    def fit(self, X: np.ndarray, y: np.ndarray) -> LinearRegressionNE:
        X = np.asarray(X, dtype=np.float64)
        y = np.asarray(y, dtype=np.float64)
        if self.fit_intercept:
            x_mean, y_mean = X.mean(axis=0), y.mean(axis=0)
            w = solve_normal_equations(X - x_mean, y - y_mean)
            intercept = y_mean - x_mean @ w
        else:
            w = solve_normal_equations(X, y)
            intercept = np.zeros(y.shape[1:])
        self.coef_ = w.T  # (d,) or (k, d)
        self.intercept_ = float(intercept) if y.ndim == 1 else intercept
        return self

    def predict(self, X: np.ndarray) -> np.ndarray:
        return np.asarray(X, dtype=np.float64) @ self.coef_.T + self.intercept_
