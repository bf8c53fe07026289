"""Reference solution for dl-08-3.

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
    p = sigmoid(X @ w)
    return (X * (p * (1 - p))[:, None]).T @ X / len(X)


def empirical_fisher(w: np.ndarray, X: np.ndarray, y: np.ndarray) -> np.ndarray:
    G = X * (sigmoid(X @ w) - y)[:, None]
    return G.T @ G / len(X)


def natural_gradient_step(w: np.ndarray, X: np.ndarray, y: np.ndarray, lr: float = 1.0,
                          damping: float = 0.0) -> np.ndarray:
    F = fisher(w, X) + damping * np.eye(len(w))
    return w - lr * np.linalg.solve(F, gradient(w, X, y))
