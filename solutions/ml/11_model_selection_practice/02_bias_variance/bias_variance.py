"""Reference solution for ml-11-2."""
from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np


class BiasVariance(NamedTuple):
    """Per-test-point decomposition (given)."""

    mse: np.ndarray  # (m,) mean over replicates of (prediction - f)^2
    bias2: np.ndarray  # (m,) (mean prediction - f)^2
    variance: np.ndarray  # (m,) mean over replicates of (prediction - mean prediction)^2


def decompose(predictions: np.ndarray, f_test: np.ndarray) -> BiasVariance:
    P = np.asarray(predictions, dtype=np.float64)
    f = np.asarray(f_test, dtype=np.float64)
    mean = P.mean(axis=0)
    return BiasVariance(((P - f) ** 2).mean(axis=0), (mean - f) ** 2, ((P - mean) ** 2).mean(axis=0))


def simulate_predictions(fit_predict: Callable[[np.ndarray, np.ndarray, np.ndarray], np.ndarray],
                         X_train: np.ndarray, f_train: np.ndarray, X_test: np.ndarray, sigma: float,
                         n_rep: int, rng: np.random.Generator) -> np.ndarray:
    f_train = np.asarray(f_train, dtype=np.float64)
    out = np.empty((n_rep, len(X_test)))
    for r in range(n_rep):
        y = f_train + sigma * rng.standard_normal(len(f_train))
        out[r] = fit_predict(X_train, y, X_test)
    return out


def ridge_bias_variance(X_train: np.ndarray, f_train: np.ndarray, X_test: np.ndarray, f_test: np.ndarray,
                        lam: float, sigma: float) -> tuple[np.ndarray, np.ndarray]:
    X = np.asarray(X_train, dtype=np.float64)
    H = X_test @ np.linalg.solve(X.T @ X + lam * np.eye(X.shape[1]), X.T)  # (m, n): predictions = H @ y
    bias = H @ f_train - f_test
    return bias**2, sigma**2 * (H**2).sum(axis=1)
