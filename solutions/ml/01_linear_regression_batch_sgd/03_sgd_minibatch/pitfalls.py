"""Plausible wrong versions of mini-batch SGD that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from sgd import SGDLinearRegression, learning_rate


def _fit_with_mistake(self: SGDLinearRegression, X: np.ndarray, y: np.ndarray, mistake: str) -> SGDLinearRegression:
    """The solution's fit with one mistake switched on."""
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64)
    n, d = X.shape
    rng = np.random.default_rng(self.random_state)
    fixed_order = rng.permutation(n) if self.shuffle else np.arange(n)
    w, b, t = np.zeros(d), 0.0, 1
    for epoch in range(self.max_epochs):
        if mistake == "reseeded":
            order = np.random.default_rng(self.random_state).permutation(n) if self.shuffle else np.arange(n)
        elif mistake == "shuffled_once":
            order = fixed_order
        else:
            order = (fixed_order if epoch == 0 else rng.permutation(n)) if self.shuffle else np.arange(n)
        stop = n - n % self.batch_size if mistake == "drop_last" and n >= self.batch_size else n
        for start in range(0, stop, self.batch_size):
            idx = order[start:start + self.batch_size]
            step = epoch + 1 if mistake == "eta_by_epoch" else t
            eta = learning_rate(step, self.learning_rate, self.eta0, self.power_t)
            if mistake == "sample_by_sample":
                for i in idx:
                    r = X[i] @ w + b - y[i]
                    w = w - eta * r * X[i]
                    b = b - eta * r if self.fit_intercept else b
            else:
                r = X[idx] @ w + b - y[idx]
                scale = 1.0 if mistake == "summed" else 1.0 / len(idx)
                w = w - eta * scale * (X[idx].T @ r)
                if self.fit_intercept:
                    b = b - eta * scale * r.sum()
            t += 1
    self.coef_, self.intercept_, self.t_ = w, float(b), t
    return self


@pitfall(replaces="learning_rate", why="counts updates from t = 0: the first invscaling step divides by zero")
def t_from_zero(t: int, schedule: str, eta0: float, power_t: float = 0.25) -> float:
    if schedule == "constant":
        return float(eta0)
    if schedule == "invscaling":
        with np.errstate(divide="ignore"):
            return float(np.float64(eta0) / np.float64(t - 1) ** power_t)
    raise ValueError(schedule)


@pitfall(replaces="learning_rate", why="eta0 * t**power_t: the step grows instead of decaying")
def growing_step(t: int, schedule: str, eta0: float, power_t: float = 0.25) -> float:
    if schedule == "constant":
        return float(eta0)
    if schedule == "invscaling":
        return float(eta0 * t**power_t)
    raise ValueError(schedule)


@pitfall(replaces="SGDLinearRegression.fit", why="the batch gradient is summed, not averaged over the batch")
def summed_batch_gradient(self: SGDLinearRegression, X: np.ndarray, y: np.ndarray) -> SGDLinearRegression:
    return _fit_with_mistake(self, X, y, "summed")


@pitfall(replaces="SGDLinearRegression.fit", why="drops the last, smaller batch of each epoch")
def drops_last_batch(self: SGDLinearRegression, X: np.ndarray, y: np.ndarray) -> SGDLinearRegression:
    return _fit_with_mistake(self, X, y, "drop_last")


@pitfall(replaces="SGDLinearRegression.fit", why="re-creates the generator every epoch: the same order every epoch")
def same_order_every_epoch(self: SGDLinearRegression, X: np.ndarray, y: np.ndarray) -> SGDLinearRegression:
    return _fit_with_mistake(self, X, y, "reseeded")


@pitfall(replaces="SGDLinearRegression.fit", why="shuffles once before training instead of at every epoch")
def shuffles_once(self: SGDLinearRegression, X: np.ndarray, y: np.ndarray) -> SGDLinearRegression:
    return _fit_with_mistake(self, X, y, "shuffled_once")


@pitfall(replaces="SGDLinearRegression.fit", why="decays the step per epoch instead of per update")
def schedule_per_epoch(self: SGDLinearRegression, X: np.ndarray, y: np.ndarray) -> SGDLinearRegression:
    return _fit_with_mistake(self, X, y, "eta_by_epoch")


@pitfall(replaces="SGDLinearRegression.fit", why="updates sample by sample inside a batch (batch_size is ignored)")
def ignores_batch(self: SGDLinearRegression, X: np.ndarray, y: np.ndarray) -> SGDLinearRegression:
    return _fit_with_mistake(self, X, y, "sample_by_sample")


@pitfall(replaces="SGDLinearRegression.fit", why="shuffles the caller's X and y in place each epoch (X[:] = X[order]): "
         "the same updates, but the data handed in come back reordered")
def shuffles_in_place(self: SGDLinearRegression, X: np.ndarray, y: np.ndarray) -> SGDLinearRegression:
    n, d = X.shape
    rng = np.random.default_rng(self.random_state)
    w, b, t = np.zeros(d), 0.0, 1
    for _ in range(self.max_epochs):
        if self.shuffle:
            order = rng.permutation(n)
            X[:], y[:] = X[order], y[order]
        for start in range(0, n, self.batch_size):
            Xb, yb = X[start:start + self.batch_size], y[start:start + self.batch_size]
            eta = learning_rate(t, self.learning_rate, self.eta0, self.power_t)
            r = Xb @ w + b - yb
            w = w - eta * (Xb.T @ r) / len(yb)
            if self.fit_intercept:
                b = b - eta * r.mean()
            t += 1
    self.coef_, self.intercept_, self.t_ = w, float(b), t
    return self
