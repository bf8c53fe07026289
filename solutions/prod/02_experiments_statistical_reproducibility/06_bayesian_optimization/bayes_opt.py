"""Reference solution for prod-02-6."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy import stats


def rbf_kernel(a: np.ndarray, b: np.ndarray, length_scale: float, signal_var: float) -> np.ndarray:
    """signal_var * exp(-|a_i - b_j|^2 / (2 length_scale^2)); a: (n, d), b: (m, d) -> (n, m)."""
    d2 = np.sum((a[:, None, :] - b[None, :, :]) ** 2, axis=-1)
    return signal_var * np.exp(-0.5 * d2 / length_scale ** 2)


def gp_posterior(x_train: np.ndarray, y_train: np.ndarray, x_test: np.ndarray, *, length_scale: float = 1.0,
                 noise: float = 1e-6, signal_var: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    if x_train.ndim != 2 or x_test.ndim != 2 or y_train.shape != (x_train.shape[0],) or x_train.shape[1] != x_test.shape[1]:
        raise ValueError("need x_train (n, d), y_train (n,), x_test (m, d)")
    if length_scale <= 0 or noise < 0 or signal_var <= 0:
        raise ValueError("need length_scale > 0, noise >= 0, signal_var > 0")
    k = rbf_kernel(x_train, x_train, length_scale, signal_var) + noise * np.eye(x_train.shape[0])
    chol = np.linalg.cholesky(k)
    alpha = np.linalg.solve(chol.T, np.linalg.solve(chol, y_train))
    k_star = rbf_kernel(x_test, x_train, length_scale, signal_var)
    mu = k_star @ alpha
    v = np.linalg.solve(chol, k_star.T)
    var = signal_var - np.sum(v ** 2, axis=0)
    return mu, np.sqrt(np.clip(var, 0.0, None))


def expected_improvement(mu: np.ndarray, sigma: np.ndarray, best: float, xi: float = 0.0) -> np.ndarray:
    mu, sigma = np.asarray(mu), np.asarray(sigma)
    if mu.shape != sigma.shape:
        raise ValueError("mu and sigma must have the same shape")
    if np.any(sigma < 0):
        raise ValueError("sigma must be non-negative")
    gain = best - mu - xi
    safe = np.where(sigma > 0, sigma, 1.0)
    z = gain / safe
    ei = gain * stats.norm.cdf(z) + sigma * stats.norm.pdf(z)
    return np.where(sigma > 0, ei, np.maximum(gain, 0.0))


def propose(x_train: np.ndarray, y_train: np.ndarray, candidates: np.ndarray, *, length_scale: float = 1.0,
            noise: float = 1e-6, xi: float = 0.0) -> int:
    mu, sigma = gp_posterior(x_train, y_train, candidates, length_scale=length_scale, noise=noise)
    return int(np.argmax(expected_improvement(mu, sigma, float(y_train.min()), xi=xi)))


def bayes_opt(f: Callable[[np.ndarray], float], lower: np.ndarray, upper: np.ndarray, *, n_init: int = 3,
              n_iter: int = 10, n_candidates: int = 256, length_scale: float = 0.2, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    lower, upper = np.asarray(lower), np.asarray(upper)
    if n_init < 1 or n_iter < 0 or n_candidates < 1:
        raise ValueError("need n_init >= 1, n_iter >= 0, n_candidates >= 1")
    rng = np.random.default_rng(seed)
    d = lower.size
    units = list(rng.random((n_init, d)))
    ys = [float(f(lower + u * (upper - lower))) for u in units]
    for _ in range(n_iter):
        u_train, y = np.array(units), np.array(ys)
        scale = y.std() if y.std() > 0 else 1.0
        cand = rng.random((n_candidates, d))
        best = propose(u_train, (y - y.mean()) / scale, cand, length_scale=length_scale)
        units.append(cand[best])
        ys.append(float(f(lower + cand[best] * (upper - lower))))
    return lower + np.array(units) * (upper - lower), np.array(ys)
