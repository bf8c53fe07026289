"""Plausible wrong pieces that the tests must reject."""
from __future__ import annotations

import numpy as np

from grader.pitfalls import pitfall


@pitfall(replaces="min_norm_solution", why="Xᵀ (X Xᵀ)⁻¹ y with np.linalg.solve: breaks when rows are dependent (X Xᵀ singular)")
def normal_equations(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    try:
        return X.T @ np.linalg.solve(X @ X.T, y)
    except np.linalg.LinAlgError:
        return X.T @ np.linalg.lstsq(X @ X.T + 1e-3 * np.eye(len(X)), y, rcond=None)[0]


@pitfall(replaces="min_norm_solution", why="a tiny ridge to make XᵀX invertible: (XᵀX + 1e-6 I)⁻¹ Xᵀy is close to, but not, X⁺y")
def tiny_ridge(X: np.ndarray, y: np.ndarray) -> np.ndarray:
    return np.linalg.solve(X.T @ X + 1e-6 * np.eye(X.shape[1]), X.T @ y)


@pitfall(replaces="null_space_projection", why="returns the row-space part X⁺ X w instead of the null-space part")
def row_space_part(X: np.ndarray, w: np.ndarray) -> np.ndarray:
    return np.linalg.pinv(X) @ (X @ w)


@pitfall(replaces="gradient_descent", why="ignores w0 and always starts from zero")
def ignores_start(X: np.ndarray, y: np.ndarray, lr: float, steps: int,
                  w0: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    n, w, losses = len(X), np.zeros(X.shape[1]), []
    for _ in range(steps):
        r = X @ w - y
        losses.append(float(r @ r) / (2 * n))
        w = w - lr * X.T @ r / n
    r = X @ w - y
    return w, np.array(losses + [float(r @ r) / (2 * n)])


@pitfall(replaces="gradient_descent", why="updates w0 in place (w -= ...) on the caller's array")
def in_place_start(X: np.ndarray, y: np.ndarray, lr: float, steps: int,
                   w0: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    n = len(X)
    w = np.zeros(X.shape[1]) if w0 is None else w0
    losses = []
    for _ in range(steps):
        r = X @ w - y
        losses.append(float(r @ r) / (2 * n))
        w -= lr * X.T @ r / n
    r = X @ w - y
    return w, np.array(losses + [float(r @ r) / (2 * n)])


@pitfall(replaces="gradient_descent", why="records only the losses after each step (steps values, the start's loss missing)")
def losses_after(X: np.ndarray, y: np.ndarray, lr: float, steps: int,
                 w0: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    n = len(X)
    w = np.zeros(X.shape[1]) if w0 is None else w0.copy()
    losses = []
    for _ in range(steps):
        w = w - lr * X.T @ (X @ w - y) / n
        r = X @ w - y
        losses.append(float(r @ r) / (2 * n))
    return w, np.array(losses)
