"""ml-02-1: binary logistic regression by gradient descent. Edit this file; `grader check ml-02-1` tests it."""
from __future__ import annotations

import numpy as np


def sigmoid(z: np.ndarray) -> np.ndarray:
    """σ(z) = 1 / (1 + e^(−z)), elementwise, without overflow for any finite z (no warnings either).

    Shapes:
        z: any shape, float64 -> the same shape, float64 in [0, 1]
    """
    raise NotImplementedError("sigmoid: a numerically stable logistic function")


def log_loss_from_logits(z: np.ndarray, y: np.ndarray) -> float:
    """Mean binary cross-entropy of labels y given logits z, exact even for huge |z|:

        (1/n) Σ_i [ −y_i log σ(z_i) − (1 − y_i) log(1 − σ(z_i)) ]  =  (1/n) Σ_i [ log(1 + e^(z_i)) − y_i z_i ]

    Shapes:
        z: (n,) float64, y: (n,) in {0, 1}
        returns: float
    """
    raise NotImplementedError("log_loss_from_logits: softplus(z) - y*z, averaged")


class LogisticRegressionGD:
    """Unpenalized binary logistic regression P(y=1 | x) = σ(x·w + b), fitted by full-batch gradient descent.

    fit(X, y) minimises J(w, b) = log_loss_from_logits(X w + b, y), whose gradient is
    ∇_w J = (1/n) Xᵀ(σ(Xw + b) − y) and ∂J/∂b = (1/n) Σ_i (σ(x_i·w + b) − y_i). It starts at w = 0, b = 0
    and at each iterate records J in loss_history_, stops if the gradient's Euclidean norm (over w and b)
    is <= tol or max_iter steps were taken, and otherwise steps θ <- θ − lr·∇J. With fit_intercept=False,
    b stays 0 and is not part of the gradient.

    Fitted attributes (fit returns self), shaped like sklearn's:
        coef_: (1, d) float64;  intercept_: (1,) float64;  n_iter_: int, the number of steps;
        loss_history_: (n_iter_ + 1,) float64, J at the start point and after every step

    Shapes:
        X: (n, d) float64; y: (n,) with values in {0, 1}
        decision_function(X): (m,) logits;  predict_proba(X): (m, 2), columns [P(y=0), P(y=1)];
        predict(X): (m,) int, 1 where the logit is > 0, else 0
    """

    def __init__(self, lr: float = 0.1, max_iter: int = 10_000, tol: float = 1e-6, fit_intercept: bool = True) -> None:
        self.lr = lr
        self.max_iter = max_iter
        self.tol = tol
        self.fit_intercept = fit_intercept

    def fit(self, X: np.ndarray, y: np.ndarray) -> LogisticRegressionGD:
        raise NotImplementedError("LogisticRegressionGD.fit: gradient descent on the mean log-loss")

    def decision_function(self, X: np.ndarray) -> np.ndarray:
        raise NotImplementedError("LogisticRegressionGD.decision_function: X @ w + b")

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        raise NotImplementedError("LogisticRegressionGD.predict_proba: [1 - σ(z), σ(z)]")

    def predict(self, X: np.ndarray) -> np.ndarray:
        raise NotImplementedError("LogisticRegressionGD.predict: 1 where the logit is positive")
