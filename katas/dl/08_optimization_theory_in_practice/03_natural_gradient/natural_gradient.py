"""dl-08-3: natural gradient for logistic regression. Edit this file; `grader check dl-08-3` tests it.

The model: p_i = P(y_i = 1 | x_i) = sigmoid(x_i · w); the loss L(w) = mean negative log-likelihood of
labels y ∈ {0, 1}; all arrays float64. No input is modified.
"""
from __future__ import annotations

import numpy as np


def sigmoid(z: np.ndarray) -> np.ndarray:
    """Given: a numerically stable logistic function."""
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def gradient(w: np.ndarray, X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Given: ∇L(w) = (1/n) Xᵀ (p − y)."""
    return X.T @ (sigmoid(X @ w) - y) / len(X)


def fisher(w: np.ndarray, X: np.ndarray) -> np.ndarray:
    """The Fisher information of the model (labels drawn from the model itself, not the data):

        F(w) = (1/n) Σ_i E_{y ~ p_i}[∇ log p(y | x_i) ∇ log p(y | x_i)ᵀ] = (1/n) Σ_i p_i (1 − p_i) x_i x_iᵀ

    Shapes:
        w: (d,); X: (n, d) -> (d, d)
    """
    raise NotImplementedError("fisher: (1/n) Xᵀ diag(p(1 − p)) X")


def empirical_fisher(w: np.ndarray, X: np.ndarray, y: np.ndarray) -> np.ndarray:
    """The 'empirical Fisher', with the data's labels: (1/n) Σ_i g_i g_iᵀ, g_i = (p_i − y_i) x_i the
    per-example gradient of the negative log-likelihood.

    Shapes:
        -> (d, d)
    """
    raise NotImplementedError("empirical_fisher: mean outer product of per-example gradients")


def natural_gradient_step(w: np.ndarray, X: np.ndarray, y: np.ndarray, lr: float = 1.0,
                          damping: float = 0.0) -> np.ndarray:
    """w − lr · (F(w) + damping · I)⁻¹ ∇L(w), solving the linear system rather than inverting.

    Shapes:
        -> (d,)
    """
    raise NotImplementedError("natural_gradient_step: solve (F + damping I) d = grad, step along -d")
