"""Plausible wrong versions of binary logistic regression that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from logistic import LogisticRegressionGD, log_loss_from_logits, sigmoid


@pitfall(replaces="sigmoid", why="1 / (1 + exp(-z)) overflows for z < -709")
def naive_sigmoid(z: np.ndarray) -> np.ndarray:
    return 1 / (1 + np.exp(-np.asarray(z, dtype=np.float64)))


@pitfall(replaces="log_loss_from_logits", why="log of clipped probabilities: wrong once σ(z) rounds to 0 or 1")
def clipped_probability_loss(z: np.ndarray, y: np.ndarray) -> float:
    p = np.clip(sigmoid(z), 1e-15, 1 - 1e-15)
    y = np.asarray(y, dtype=np.float64)
    return float(np.mean(-y * np.log(p) - (1 - y) * np.log(1 - p)))


def _fit_variant(self: LogisticRegressionGD, X: np.ndarray, y: np.ndarray, mistake: str) -> LogisticRegressionGD:
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y, dtype=np.float64)
    n, d = X.shape
    w, b = np.zeros(d), 0.0
    history, k = [], 0
    while True:
        z = X @ w + b
        history.append(log_loss_from_logits(z, y))
        residual = sigmoid(z) - y
        if mistake == "reversed":
            residual = -residual
        scale = 1.0 if mistake == "summed" else 1.0 / n
        gw = X.T @ residual * scale
        gb = float(residual.sum() * scale) if self.fit_intercept else 0.0
        if np.sqrt(gw @ gw + gb * gb) <= self.tol or k == self.max_iter:
            break
        w, b = w - self.lr * gw, b - self.lr * gb
        k += 1
    self.coef_, self.intercept_ = w[None, :], np.array([b])
    self.n_iter_, self.loss_history_ = k, np.array(history)
    return self


@pitfall(replaces="LogisticRegressionGD.fit", why="gradient y - σ(z) instead of σ(z) - y: ascends the loss")
def reversed_gradient(self: LogisticRegressionGD, X: np.ndarray, y: np.ndarray) -> LogisticRegressionGD:
    with np.errstate(all="ignore"):
        return _fit_variant(self, X, y, "reversed")


@pitfall(replaces="LogisticRegressionGD.fit", why="gradient summed over samples instead of averaged (no 1/n)")
def summed_gradient(self: LogisticRegressionGD, X: np.ndarray, y: np.ndarray) -> LogisticRegressionGD:
    with np.errstate(all="ignore"):
        return _fit_variant(self, X, y, "summed")


@pitfall(replaces="LogisticRegressionGD.predict_proba", why="columns in the wrong order: [P(y=1), P(y=0)]")
def swapped_proba_columns(self: LogisticRegressionGD, X: np.ndarray) -> np.ndarray:
    p = sigmoid(self.decision_function(X))
    return np.column_stack([p, 1 - p])


@pitfall(replaces="LogisticRegressionGD.predict", why="thresholds the logit at 0.5 instead of the probability")
def logit_threshold_half(self: LogisticRegressionGD, X: np.ndarray) -> np.ndarray:
    return (self.decision_function(X) > 0.5).astype(int)


@pitfall(replaces="sigmoid", why="overwrites the caller's z in place (z[:] = ...) to save memory: the values are right, "
         "but the logits handed in are gone")
def sigmoid_in_place(z: np.ndarray) -> np.ndarray:
    e = np.exp(-np.abs(z))
    z[:] = np.where(z >= 0, 1 / (1 + e), e / (1 + e))
    return z
