"""ml-02-2: softmax (multinomial) regression. Edit this file; `grader check ml-02-2` tests it."""
from __future__ import annotations

import numpy as np


def softmax(Z: np.ndarray) -> np.ndarray:
    """Row-wise softmax, P[i, k] = exp(Z[i, k]) / Σ_j exp(Z[i, j]), without overflow for any finite Z.

    Shapes:
        Z: (n, K) float64 -> (n, K) float64, every row a probability distribution
    """
    raise NotImplementedError("softmax: subtract each row's max, exponentiate, normalise")


def cross_entropy_from_logits(Z: np.ndarray, y: np.ndarray) -> float:
    """Mean cross-entropy of class indices y under logits Z, exact even for huge logits:

        (1/n) Σ_i [ logsumexp(Z[i, :]) − Z[i, y_i] ]  =  −(1/n) Σ_i log softmax(Z)[i, y_i]

    Shapes:
        Z: (n, K) float64; y: (n,) ints in 0..K-1 (column indices, not labels)
        returns: float
    """
    raise NotImplementedError("cross_entropy_from_logits: logsumexp of each row minus the true logit")


class SoftmaxRegressionGD:
    """Unpenalized multinomial logistic regression, P(y = c_k | x) = softmax(W x + b)_k, by gradient descent.

    Labels may be any sortable values: classes_ = np.unique(y) (K >= 2 of them) and class k is classes_[k].
    fit minimises the mean cross-entropy J(W, b) with Y the (n, K) one-hot matrix of y and
    P = softmax(X Wᵀ + b):
        ∇_W J = (1/n) (P − Y)ᵀ X   (K, d),      ∇_b J = (1/n) Σ_i (P − Y)_i   (K,)
    Start at W = 0, b = 0; at each iterate record J in loss_history_, stop if the Euclidean norm of the
    whole gradient (W and b together) is <= tol or max_iter steps were taken, else step with lr.

    Fitted attributes (fit returns self):
        classes_: (K,);  coef_: (K, d);  intercept_: (K,);  n_iter_: int;  loss_history_: (n_iter_ + 1,)

    Shapes:
        X: (n, d) float64; y: (n,)
        decision_function(X): (m, K) logits;  predict_proba(X): (m, K);  predict(X): (m,) labels from classes_
    """

    def __init__(self, lr: float = 0.5, max_iter: int = 10_000, tol: float = 1e-6) -> None:
        self.lr = lr
        self.max_iter = max_iter
        self.tol = tol

    def fit(self, X: np.ndarray, y: np.ndarray) -> SoftmaxRegressionGD:
        raise NotImplementedError("SoftmaxRegressionGD.fit: one-hot targets, then gradient descent")

    def decision_function(self, X: np.ndarray) -> np.ndarray:
        raise NotImplementedError("SoftmaxRegressionGD.decision_function: X @ coef_.T + intercept_")

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        raise NotImplementedError("SoftmaxRegressionGD.predict_proba: softmax of the logits")

    def predict(self, X: np.ndarray) -> np.ndarray:
        raise NotImplementedError("SoftmaxRegressionGD.predict: the label of the largest logit")
