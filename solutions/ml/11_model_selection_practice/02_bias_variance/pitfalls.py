"""Plausible wrong bias-variance computations that the tests must reject."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from bias_variance import BiasVariance


@pitfall(replaces="decompose", why="variance with ddof=1: then mse != bias^2 + variance")
def unbiased_variance(predictions: np.ndarray, f_test: np.ndarray) -> BiasVariance:
    P = np.asarray(predictions, dtype=np.float64)
    f = np.asarray(f_test, dtype=np.float64)
    mean = P.mean(axis=0)
    var = P.var(axis=0, ddof=1) if len(P) > 1 else np.zeros(P.shape[1])
    return BiasVariance(((P - f) ** 2).mean(axis=0), (mean - f) ** 2, var)


@pitfall(replaces="decompose", why="bias^2 as the mean squared error of each replicate: predictions not averaged first")
def bias_before_averaging(predictions: np.ndarray, f_test: np.ndarray) -> BiasVariance:
    P = np.asarray(predictions, dtype=np.float64)
    f = np.asarray(f_test, dtype=np.float64)
    mse = ((P - f) ** 2).mean(axis=0)
    return BiasVariance(mse, mse, P.var(axis=0))


@pitfall(replaces="simulate_predictions", why="draws the noise once and reuses it in every replicate")
def noise_drawn_once(fit_predict: Callable, X_train: np.ndarray, f_train: np.ndarray, X_test: np.ndarray,
                     sigma: float, n_rep: int, rng: np.random.Generator) -> np.ndarray:
    y = np.asarray(f_train, dtype=np.float64) + sigma * rng.standard_normal(len(f_train))
    return np.stack([fit_predict(X_train, y, X_test) for _ in range(n_rep)])


@pitfall(replaces="ridge_bias_variance", why="variance sigma * ||h||^2 instead of sigma^2 * ||h||^2")
def sigma_not_squared(X_train: np.ndarray, f_train: np.ndarray, X_test: np.ndarray, f_test: np.ndarray,
                      lam: float, sigma: float) -> tuple[np.ndarray, np.ndarray]:
    X = np.asarray(X_train, dtype=np.float64)
    H = X_test @ np.linalg.solve(X.T @ X + lam * np.eye(X.shape[1]), X.T)
    return (H @ f_train - f_test) ** 2, sigma * (H**2).sum(axis=1)


@pitfall(replaces="ridge_bias_variance", why="penalty n * lam (the mean-loss convention) instead of lam")
def penalty_times_n(X_train: np.ndarray, f_train: np.ndarray, X_test: np.ndarray, f_test: np.ndarray,
                    lam: float, sigma: float) -> tuple[np.ndarray, np.ndarray]:
    X = np.asarray(X_train, dtype=np.float64)
    H = X_test @ np.linalg.solve(X.T @ X + len(X) * lam * np.eye(X.shape[1]), X.T)
    return (H @ f_train - f_test) ** 2, sigma**2 * (H**2).sum(axis=1)
