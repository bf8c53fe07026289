"""Plausible wrong natural-gradient pieces that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from natural_gradient import empirical_fisher, fisher, gradient, sigmoid


@pitfall(replaces="fisher", why="weights the outer products by p instead of p(1 − p)")
def p_not_variance(w: np.ndarray, X: np.ndarray) -> np.ndarray:
    p = sigmoid(X @ w)
    return (X * p[:, None]).T @ X / len(X)


@pitfall(replaces="fisher", why="sums over examples instead of averaging")
def summed(w: np.ndarray, X: np.ndarray) -> np.ndarray:
    p = sigmoid(X @ w)
    return (X * (p * (1 - p))[:, None]).T @ X


@pitfall(replaces="empirical_fisher", why="outer product of the mean gradient instead of the mean of outer products")
def outer_of_mean(w: np.ndarray, X: np.ndarray, y: np.ndarray) -> np.ndarray:
    g = X.T @ (sigmoid(X @ w) - y) / len(X)
    return np.outer(g, g)


@pitfall(replaces="natural_gradient_step", why="preconditions with the empirical Fisher (data labels) instead of the Fisher")
def uses_empirical_fisher(w: np.ndarray, X: np.ndarray, y: np.ndarray, lr: float = 1.0,
                          damping: float = 0.0) -> np.ndarray:
    F = empirical_fisher(w, X, y) + damping * np.eye(len(w))
    return w - lr * np.linalg.solve(F, gradient(w, X, y))


@pitfall(replaces="natural_gradient_step", why="multiplies by F instead of solving with it")
def multiplies_by_fisher(w: np.ndarray, X: np.ndarray, y: np.ndarray, lr: float = 1.0,
                         damping: float = 0.0) -> np.ndarray:
    F = fisher(w, X) + damping * np.eye(len(w))
    return w - lr * F @ gradient(w, X, y)


@pitfall(replaces="natural_gradient_step", why="ignores the damping")
def no_damping(w: np.ndarray, X: np.ndarray, y: np.ndarray, lr: float = 1.0, damping: float = 0.0) -> np.ndarray:
    return w - lr * np.linalg.solve(fisher(w, X), gradient(w, X, y))
