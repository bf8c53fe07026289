"""Reference solution for found-02-1."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np


def grad_quadratic_form(A: np.ndarray, x: np.ndarray) -> np.ndarray:
    return (A + A.T) @ x


def grad_least_squares(A: np.ndarray, x: np.ndarray, b: np.ndarray) -> np.ndarray:
    return 2.0 * A.T @ (A @ x - b)


def softmax_cross_entropy(logits: np.ndarray, y: np.ndarray) -> tuple[float, np.ndarray]:
    n = logits.shape[0]
    z = logits - logits.max(axis=1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    loss = -float(np.mean(log_p[np.arange(n), y]))
    grad = np.exp(log_p)
    grad[np.arange(n), y] -= 1.0
    return loss, grad / n


def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray, h: float = 1e-6) -> np.ndarray:
    work = np.array(x, dtype=np.float64, copy=True)
    grad = np.zeros_like(work)
    for idx in np.ndindex(work.shape):
        old = work[idx]
        work[idx] = old + h
        up = f(work)
        work[idx] = old - h
        down = f(work)
        work[idx] = old
        grad[idx] = (up - down) / (2.0 * h)
    return grad
