"""Reference solution for ml-02-2."""
from __future__ import annotations

import numpy as np


def softmax(Z: np.ndarray) -> np.ndarray:
    Z = np.asarray(Z, dtype=np.float64)
    E = np.exp(Z - Z.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def cross_entropy_from_logits(Z: np.ndarray, y: np.ndarray) -> float:
    Z = np.asarray(Z, dtype=np.float64)
    m = Z.max(axis=1)
    lse = m + np.log(np.exp(Z - m[:, None]).sum(axis=1))
    return float(np.mean(lse - Z[np.arange(len(Z)), y]))


class SoftmaxRegressionGD:
    def __init__(self, lr: float = 0.5, max_iter: int = 10_000, tol: float = 1e-6) -> None:
        self.lr = lr
        self.max_iter = max_iter
        self.tol = tol

    def fit(self, X: np.ndarray, y: np.ndarray) -> SoftmaxRegressionGD:
        X = np.asarray(X, dtype=np.float64)
        self.classes_, idx = np.unique(y, return_inverse=True)
        n, d = X.shape
        K = len(self.classes_)
        Y = np.eye(K)[idx]
        W, b = np.zeros((K, d)), np.zeros(K)
        history, k = [], 0
        while True:
            Z = X @ W.T + b
            history.append(cross_entropy_from_logits(Z, idx))
            R = softmax(Z) - Y
            gW, gb = R.T @ X / n, R.mean(axis=0)
            if np.sqrt((gW**2).sum() + gb @ gb) <= self.tol or k == self.max_iter:
                break
            W, b = W - self.lr * gW, b - self.lr * gb
            k += 1
        self.coef_, self.intercept_, self.n_iter_, self.loss_history_ = W, b, k, np.array(history)
        return self

    def decision_function(self, X: np.ndarray) -> np.ndarray:
        return np.asarray(X, dtype=np.float64) @ self.coef_.T + self.intercept_

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        return softmax(self.decision_function(X))

    def predict(self, X: np.ndarray) -> np.ndarray:
        return self.classes_[np.argmax(self.decision_function(X), axis=1)]
