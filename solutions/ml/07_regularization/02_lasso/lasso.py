"""Reference solution for ml-07-2."""
from __future__ import annotations

import numpy as np


def soft_threshold(x: np.ndarray, t: float) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    return np.sign(x) * np.maximum(np.abs(x) - t, 0.0)


class Lasso:
    """Lasso by cyclic coordinate descent: min 1/(2n) ||y - X w - b||^2 + alpha ||w||_1."""

    def __init__(self, alpha: float = 1.0, fit_intercept: bool = True, max_iter: int = 10000,
                 tol: float = 1e-10) -> None:
        self.alpha = alpha
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol

    def fit(self, X: np.ndarray, y: np.ndarray) -> Lasso:
        X = np.asarray(X, dtype=np.float64)
        y = np.asarray(y, dtype=np.float64)
        if self.alpha < 0:
            raise ValueError(f"alpha must be >= 0, got {self.alpha}")
        n, d = X.shape
        if self.fit_intercept:
            x_mean, y_mean = X.mean(axis=0), float(y.mean())
        else:
            x_mean, y_mean = np.zeros(d), 0.0
        Xc, yc = X - x_mean, y - y_mean
        col_sq = np.einsum("ij,ij->j", Xc, Xc) / n  # ||x_j||^2 / n
        w = np.zeros(d)
        r = yc.copy()  # residual for the current w
        self.n_iter_ = self.max_iter
        for sweep in range(1, self.max_iter + 1):
            max_step = 0.0
            for j in range(d):
                if col_sq[j] == 0.0:
                    continue
                rho = Xc[:, j] @ r / n + col_sq[j] * w[j]  # x_j^T (r + x_j w_j) / n
                new = float(soft_threshold(rho, self.alpha)) / col_sq[j]
                if new != w[j]:
                    r -= Xc[:, j] * (new - w[j])
                    max_step = max(max_step, abs(new - w[j]))
                    w[j] = new
            if max_step <= self.tol:
                self.n_iter_ = sweep
                break
        self.coef_ = w
        self.intercept_ = float(y_mean - x_mean @ w)
        return self

    def predict(self, X: np.ndarray) -> np.ndarray:
        return np.asarray(X, dtype=np.float64) @ self.coef_ + self.intercept_
