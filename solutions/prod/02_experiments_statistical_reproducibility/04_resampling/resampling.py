"""Reference solution for prod-02-4."""
from __future__ import annotations

from collections.abc import Callable
from itertools import combinations
from math import comb

import numpy as np

Statistic = Callable[..., np.ndarray]


def bootstrap_ci(x: np.ndarray, statistic: Statistic, *, n_resamples: int = 999, confidence: float = 0.95,
                 method: str = "percentile", seed: int = 0) -> tuple[float, float]:
    x = np.asarray(x)
    if x.ndim != 1 or x.size < 2:
        raise ValueError("need a 1-D sample of at least two values")
    if not 0 < confidence < 1:
        raise ValueError("confidence must lie strictly between 0 and 1")
    if n_resamples < 1:
        raise ValueError("n_resamples must be at least 1")
    if method not in ("percentile", "basic"):
        raise ValueError(f"unknown method {method!r}")
    rng = np.random.default_rng(seed)
    idx = rng.integers(0, x.size, size=(n_resamples, x.size))
    dist = statistic(x[idx], axis=-1)
    alpha = (1 - confidence) / 2
    low, high = np.quantile(dist, [alpha, 1 - alpha])
    if method == "basic":
        theta = statistic(x, axis=-1)
        low, high = 2 * theta - high, 2 * theta - low
    return float(low), float(high)


def jackknife(x: np.ndarray, statistic: Statistic) -> tuple[float, float]:
    x = np.asarray(x)
    if x.ndim != 1 or x.size < 2:
        raise ValueError("need a 1-D sample of at least two values")
    n = x.size
    keep = ~np.eye(n, dtype=bool)
    loo = statistic(np.broadcast_to(x, (n, n))[keep].reshape(n, n - 1), axis=-1)
    theta = statistic(x, axis=-1)
    mean_loo = loo.mean()
    bias = (n - 1) * (mean_loo - theta)
    se = np.sqrt((n - 1) / n * np.sum((loo - mean_loo) ** 2))
    return float(bias), float(se)


def permutation_test(x: np.ndarray, y: np.ndarray, *, alternative: str = "two-sided", n_resamples: int = 9999,
                     seed: int = 0) -> tuple[float, float]:
    x, y = np.asarray(x), np.asarray(y)
    if x.ndim != 1 or y.ndim != 1 or x.size < 2 or y.size < 2:
        raise ValueError("need two 1-D samples of at least two values each")
    if alternative not in ("two-sided", "less", "greater"):
        raise ValueError(f"unknown alternative {alternative!r}")
    if n_resamples < 1:
        raise ValueError("n_resamples must be at least 1")
    pooled = np.concatenate([x, y])
    n, nx = pooled.size, x.size
    observed = x.mean() - y.mean()
    if comb(n, nx) <= n_resamples:
        masks = np.zeros((comb(n, nx), n), dtype=bool)
        for row, chosen in enumerate(combinations(range(n), nx)):
            masks[row, list(chosen)] = True
        adjustment = 0
    else:
        rng = np.random.default_rng(seed)
        order = rng.permuted(np.broadcast_to(np.arange(n), (n_resamples, n)), axis=1)
        masks = np.zeros((n_resamples, n), dtype=bool)
        np.put_along_axis(masks, order[:, :nx], True, axis=1)
        adjustment = 1
    sum_x = masks @ pooled
    null = sum_x / nx - (pooled.sum() - sum_x) / (n - nx)
    gamma = abs(observed) * 100 * np.finfo(np.float64).eps
    total = null.size + adjustment
    p_less = (np.count_nonzero(null <= observed + gamma) + adjustment) / total
    p_greater = (np.count_nonzero(null >= observed - gamma) + adjustment) / total
    if alternative == "less":
        p = p_less
    elif alternative == "greater":
        p = p_greater
    else:
        p = min(1.0, 2 * min(p_less, p_greater))
    return float(observed), float(p)
