"""Reference solution for ml-02-1."""
from __future__ import annotations

import numpy as np


def sigmoid(z: np.ndarray) -> np.ndarray:
    z = np.asarray(z, dtype=np.float64)
    e = np.exp(-np.abs(z))  # in (0, 1]: never overflows
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def log_loss_from_logits(z: np.ndarray, y: np.ndarray) -> float:
    z, y = np.asarray(z, dtype=np.float64), np.asarray(y, dtype=np.float64)
    return float(np.mean(np.logaddexp(0.0, z) - y * z))


class LogisticRegressionGD:
    def __init__(self, lr: float = 0.1, max_iter: int = 10_000, tol: float = 1e-6, fit_intercept: bool = True) -> None:
        self.lr = lr
        self.max_iter = max_iter
        self.tol = tol
        self.fit_intercept = fit_intercept

    def fit(self, X: np.ndarray, y: np.ndarray) -> LogisticRegressionGD:
        X, y = np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64)
        n, d = X.shape
        w, b = np.zeros(d), 0.0
        history = []
        k = 0
        while True:
            z = X @ w + b
            history.append(log_loss_from_logits(z, y))
            residual = sigmoid(z) - y
            gw = X.T @ residual / n
            gb = float(residual.mean()) if self.fit_intercept else 0.0
            if np.sqrt(gw @ gw + gb * gb) <= self.tol or k == self.max_iter:
                break
            w, b = w - self.lr * gw, b - self.lr * gb
            k += 1
        self.coef_, self.intercept_ = w[None, :], np.array([b])
        self.n_iter_, self.loss_history_ = k, np.array(history)
        return self

    def decision_function(self, X: np.ndarray) -> np.ndarray:
        return np.asarray(X, dtype=np.float64) @ self.coef_[0] + self.intercept_[0]

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        p = sigmoid(self.decision_function(X))
        return np.column_stack([1 - p, p])

    def predict(self, X: np.ndarray) -> np.ndarray:
        return (self.decision_function(X) > 0).astype(int)
