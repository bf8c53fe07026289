"""Reference solution for ml-01-3."""
from __future__ import annotations

import numpy as np


def learning_rate(t: int, schedule: str, eta0: float, power_t: float = 0.25) -> float:
    if schedule == "constant":
        return float(eta0)
    if schedule == "invscaling":
        return float(eta0 / t**power_t)
    raise ValueError(f"unknown learning-rate schedule {schedule!r}")


class SGDLinearRegression:
    def __init__(self, batch_size: int = 1, learning_rate: str = "invscaling", eta0: float = 0.01,
                 power_t: float = 0.25, max_epochs: int = 5, shuffle: bool = True,
                 random_state: int | None = None, fit_intercept: bool = True) -> None:
        self.batch_size = batch_size
        self.learning_rate = learning_rate
        self.eta0 = eta0
        self.power_t = power_t
        self.max_epochs = max_epochs
        self.shuffle = shuffle
        self.random_state = random_state
        self.fit_intercept = fit_intercept

    def fit(self, X: np.ndarray, y: np.ndarray) -> SGDLinearRegression:
        X, y = np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64)
        n, d = X.shape
        rng = np.random.default_rng(self.random_state)
        w, b, t = np.zeros(d), 0.0, 1
        for _ in range(self.max_epochs):
            order = rng.permutation(n) if self.shuffle else np.arange(n)
            for start in range(0, n, self.batch_size):
                idx = order[start:start + self.batch_size]
                eta = learning_rate(t, self.learning_rate, self.eta0, self.power_t)
                r = X[idx] @ w + b - y[idx]
                w = w - eta * (X[idx].T @ r) / len(idx)
                if self.fit_intercept:
                    b = b - eta * r.mean()
                t += 1
        self.coef_, self.intercept_, self.t_ = w, float(b), t
        return self

    def predict(self, X: np.ndarray) -> np.ndarray:
        return np.asarray(X, dtype=np.float64) @ self.coef_ + self.intercept_
