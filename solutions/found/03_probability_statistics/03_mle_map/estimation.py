"""Reference solution for found-03-3."""
from __future__ import annotations

import numpy as np


def _data(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64).ravel()
    if len(x) == 0:
        raise ValueError("no data")
    return x


def mle_gaussian(x: np.ndarray) -> tuple[float, float]:
    x = _data(x)
    mu = float(x.mean())
    return mu, float(np.mean((x - mu) ** 2))


def mle_bernoulli(x: np.ndarray) -> float:
    x = _data(x)
    if not np.all((x == 0) | (x == 1)):
        raise ValueError("Bernoulli data must be 0 or 1")
    return float(x.mean())


def mle_poisson(x: np.ndarray) -> float:
    x = _data(x)
    if np.any(x < 0) or np.any(x != np.round(x)):
        raise ValueError("Poisson data must be non-negative integers")
    return float(x.mean())


def map_bernoulli_beta(x: np.ndarray, a: float, b: float) -> float:
    mle_bernoulli(x)  # validates the data
    x = _data(x)
    n, k = len(x), float(x.sum())
    if a < 1 or b < 1:
        raise ValueError(f"need a >= 1 and b >= 1 for the posterior mode, got a={a}, b={b}")
    return float((a + k - 1) / (a + b + n - 2))


def map_poisson_gamma(x: np.ndarray, alpha: float, beta: float) -> float:
    mle_poisson(x)  # validates the data
    x = _data(x)
    if alpha <= 0 or beta <= 0:
        raise ValueError(f"need alpha > 0 and beta > 0, got {alpha}, {beta}")
    return float(max(alpha + x.sum() - 1, 0.0) / (beta + len(x)))


def map_gaussian_mean(x: np.ndarray, sigma2: float, mu0: float, tau2: float) -> float:
    x = _data(x)
    if sigma2 <= 0 or tau2 <= 0:
        raise ValueError(f"need sigma2 > 0 and tau2 > 0, got {sigma2}, {tau2}")
    precision = 1.0 / tau2 + len(x) / sigma2
    return float((mu0 / tau2 + x.sum() / sigma2) / precision)
