"""Reference solution for ml-07-3."""
from __future__ import annotations

import numpy as np


def soft_threshold(x: np.ndarray, t: float) -> np.ndarray:
    """sign(x) * max(|x| - t, 0), elementwise (given: you wrote it in ml-07-2)."""
    x = np.asarray(x, dtype=np.float64)
    return np.sign(x) * np.maximum(np.abs(x) - t, 0.0)


class ElasticNet:
    """Elastic net by cyclic coordinate descent:
    min 1/(2n) ||y - X w - b||^2 + alpha * l1_ratio ||w||_1 + alpha * (1 - l1_ratio) / 2 ||w||^2."""

    def __init__(self, alpha: float = 1.0, l1_ratio: float = 0.5, fit_intercept: bool = True,
                 max_iter: int = 10000, tol: float = 1e-10) -> None:
        self.alpha = alpha
        self.l1_ratio = l1_ratio
        self.fit_intercept = fit_intercept
        self.max_iter = max_iter
        self.tol = tol

    def fit(self, X: np.ndarray, y: np.ndarray) -> ElasticNet:
        X = np.asarray(X, dtype=np.float64)
        y = np.asarray(y, dtype=np.float64)
        if self.alpha < 0 or not 0.0 <= self.l1_ratio <= 1.0:
            raise ValueError(f"need alpha >= 0 and 0 <= l1_ratio <= 1, got {self.alpha}, {self.l1_ratio}")
        n, d = X.shape
        if self.fit_intercept:
            x_mean, y_mean = X.mean(axis=0), float(y.mean())
        else:
            x_mean, y_mean = np.zeros(d), 0.0
        Xc, yc = X - x_mean, y - y_mean
        col_sq = np.einsum("ij,ij->j", Xc, Xc) / n
        l1 = self.alpha * self.l1_ratio
        l2 = self.alpha * (1.0 - self.l1_ratio)
        w = np.zeros(d)
        r = yc.copy()
        self.n_iter_ = self.max_iter
        for sweep in range(1, self.max_iter + 1):
            max_step = 0.0
            for j in range(d):
                if col_sq[j] == 0.0:
                    continue
                rho = Xc[:, j] @ r / n + col_sq[j] * w[j]
                new = float(soft_threshold(rho, l1)) / (col_sq[j] + l2)
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
