"""Reference solution for dl-08-7."""
from __future__ import annotations

import numpy as np


def min_norm_solution(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    return np.linalg.pinv(X) @ y


def null_space_projection(X: np.ndarray, w: np.ndarray) -> np.ndarray:
    return w - np.linalg.pinv(X) @ (X @ w)


def gradient_descent(X: np.ndarray, y: np.ndarray, lr: float, steps: int,
                     w0: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    n = len(X)
    w = np.zeros(X.shape[1]) if w0 is None else w0.astype(np.float64).copy()
    losses = []
    for _ in range(steps):
        r = X @ w - y
        losses.append(float(r @ r) / (2 * n))
        w = w - lr * X.T @ r / n
    r = X @ w - y
    losses.append(float(r @ r) / (2 * n))
    return w, np.array(losses)
