"""Plausible wrong versions of softmax regression that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from softmax_regression import SoftmaxRegressionGD, cross_entropy_from_logits, softmax


@pitfall(replaces="softmax", why="no max subtraction: exp overflows for logits above ~709")
def unshifted_softmax(Z: np.ndarray) -> np.ndarray:
    E = np.exp(np.asarray(Z, dtype=np.float64))
    return E / E.sum(axis=1, keepdims=True)


@pitfall(replaces="softmax", why="normalises over the samples (axis 0) instead of the classes")
def softmax_wrong_axis(Z: np.ndarray) -> np.ndarray:
    Z = np.asarray(Z, dtype=np.float64)
    E = np.exp(Z - Z.max(axis=0, keepdims=True))
    return E / E.sum(axis=0, keepdims=True)


@pitfall(replaces="cross_entropy_from_logits", why="log of clipped softmax probabilities: wrong for huge logits")
def clipped_cross_entropy(Z: np.ndarray, y: np.ndarray) -> float:
    P = np.clip(softmax(Z), 1e-15, 1.0)
    return float(-np.mean(np.log(P[np.arange(len(P)), y])))


def _fit_variant(self: SoftmaxRegressionGD, X: np.ndarray, y: np.ndarray, mistake: str) -> SoftmaxRegressionGD:
    X = np.asarray(X, dtype=np.float64)
    if mistake == "labels_as_indices":
        y = np.asarray(y)
        self.classes_, idx, K = np.arange(y.max() + 1), y, int(y.max()) + 1
    else:
        self.classes_, idx = np.unique(y, return_inverse=True)
        K = len(self.classes_)
    n, d = X.shape
    Y = np.eye(K)[idx]
    W, b = np.zeros((K, d)), np.zeros(K)
    history, k = [], 0
    while True:
        Z = X @ W.T + b
        history.append(cross_entropy_from_logits(Z, idx))
        R = softmax(Z) - Y
        if mistake == "reversed":
            R = -R
        gW, gb = R.T @ X / n, R.mean(axis=0)
        if mistake == "no_intercept":
            gb = np.zeros(K)
        if np.sqrt((gW**2).sum() + gb @ gb) <= self.tol or k == self.max_iter:
            break
        W, b = W - self.lr * gW, b - self.lr * gb
        k += 1
    self.coef_, self.intercept_, self.n_iter_, self.loss_history_ = W, b, k, np.array(history)
    return self


@pitfall(replaces="SoftmaxRegressionGD.fit", why="gradient Y - P instead of P - Y: ascends the loss")
def reversed_gradient(self: SoftmaxRegressionGD, X: np.ndarray, y: np.ndarray) -> SoftmaxRegressionGD:
    with np.errstate(all="ignore"):
        return _fit_variant(self, X, y, "reversed")


@pitfall(replaces="SoftmaxRegressionGD.fit", why="never updates the intercepts")
def intercepts_frozen(self: SoftmaxRegressionGD, X: np.ndarray, y: np.ndarray) -> SoftmaxRegressionGD:
    return _fit_variant(self, X, y, "no_intercept")


@pitfall(replaces="SoftmaxRegressionGD.fit", why="uses the labels as column indices (np.eye(y.max() + 1)[y])")
def labels_as_indices(self: SoftmaxRegressionGD, X: np.ndarray, y: np.ndarray) -> SoftmaxRegressionGD:
    return _fit_variant(self, X, y, "labels_as_indices")


@pitfall(replaces="SoftmaxRegressionGD.predict", why="returns the argmax column index, not the class label")
def predict_index(self: SoftmaxRegressionGD, X: np.ndarray) -> np.ndarray:
    return np.argmax(self.decision_function(X), axis=1)


@pitfall(replaces="SoftmaxRegressionGD.fit", why="one-vs-rest: K independent sigmoid classifiers, not one softmax")
def one_vs_rest(self: SoftmaxRegressionGD, X: np.ndarray, y: np.ndarray) -> SoftmaxRegressionGD:
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
        R = 1 / (1 + np.exp(-Z)) - Y  # each column its own binary logistic regression
        gW, gb = R.T @ X / n, R.mean(axis=0)
        if np.sqrt((gW**2).sum() + gb @ gb) <= self.tol or k == self.max_iter:
            break
        W, b = W - self.lr * gW, b - self.lr * gb
        k += 1
    self.coef_, self.intercept_, self.n_iter_, self.loss_history_ = W, b, k, np.array(history)
    return self


@pitfall(replaces="softmax", why="subtracts the row max in place (Z -= Z.max(...)): stable and correct, but the "
         "caller's logits are shifted")
def softmax_shifts_in_place(Z: np.ndarray) -> np.ndarray:
    Z -= Z.max(axis=1, keepdims=True)
    E = np.exp(Z)
    return E / E.sum(axis=1, keepdims=True)
