"""Plausible wrong resampling methods that the tests must reject."""
from __future__ import annotations

from itertools import combinations
from math import comb
from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from resampling import Statistic


def _check(x: np.ndarray, confidence: float, n_resamples: int, method: str) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 1 or x.size < 2 or not 0 < confidence < 1 or n_resamples < 1 or method not in ("percentile", "basic"):
        raise ValueError("bad inputs")
    return x


@pitfall(replaces="bootstrap_ci", why="puts all of 1 - confidence in each tail instead of half of it")
def whole_alpha_per_tail(x: np.ndarray, statistic: Statistic, *, n_resamples: int = 999, confidence: float = 0.95,
                         method: str = "percentile", seed: int = 0) -> tuple[float, float]:
    x = _check(x, confidence, n_resamples, method)
    dist = statistic(x[np.random.default_rng(seed).integers(0, x.size, size=(n_resamples, x.size))], axis=-1)
    low, high = np.quantile(dist, [1 - confidence, confidence])
    if method == "basic":
        theta = statistic(x, axis=-1)
        low, high = 2 * theta - high, 2 * theta - low
    return float(low), float(high)


@pitfall(replaces="bootstrap_ci", why="the basic interval reflects each quantile but keeps their order: (2t - q_lo, 2t - q_hi)")
def basic_unswapped(x: np.ndarray, statistic: Statistic, *, n_resamples: int = 999, confidence: float = 0.95,
                    method: str = "percentile", seed: int = 0) -> tuple[float, float]:
    x = _check(x, confidence, n_resamples, method)
    dist = statistic(x[np.random.default_rng(seed).integers(0, x.size, size=(n_resamples, x.size))], axis=-1)
    alpha = (1 - confidence) / 2
    low, high = np.quantile(dist, [alpha, 1 - alpha])
    if method == "basic":
        theta = statistic(x, axis=-1)
        low, high = 2 * theta - low, 2 * theta - high
    return float(low), float(high)


def _loo(x: np.ndarray, statistic: Statistic) -> tuple[np.ndarray, float]:
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 1 or x.size < 2:
        raise ValueError("bad inputs")
    n = x.size
    return statistic(np.stack([np.delete(x, i) for i in range(n)]), axis=-1), float(statistic(x, axis=-1))


@pitfall(replaces="jackknife", why="bias as theta_bar - theta, without the (n - 1) inflation")
def bias_without_inflation(x: np.ndarray, statistic: Statistic) -> tuple[float, float]:
    loo, theta = _loo(x, statistic)
    n = loo.size
    return float(loo.mean() - theta), float(np.sqrt((n - 1) / n * np.sum((loo - loo.mean()) ** 2)))


@pitfall(replaces="jackknife", why="standard error as the plain std of the leave-one-out values over sqrt(n), like a bootstrap")
def bootstrap_style_se(x: np.ndarray, statistic: Statistic) -> tuple[float, float]:
    loo, theta = _loo(x, statistic)
    n = loo.size
    return float((n - 1) * (loo.mean() - theta)), float(loo.std(ddof=1) / np.sqrt(n))


def _null(x: np.ndarray, y: np.ndarray, alternative: str, n_resamples: int, seed: int,
          exact_if: bool | None = None) -> tuple[float, np.ndarray, int, np.ndarray]:
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    if x.ndim != 1 or y.ndim != 1 or x.size < 2 or y.size < 2 or n_resamples < 1 \
            or alternative not in ("two-sided", "less", "greater"):
        raise ValueError("bad inputs")
    pooled = np.concatenate([x, y])
    n, nx = pooled.size, x.size
    exact = comb(n, nx) <= n_resamples if exact_if is None else exact_if
    if exact:
        splits = [list(c) for c in combinations(range(n), nx)]
        adjustment = 0
    else:
        rng = np.random.default_rng(seed)
        splits = [rng.permutation(n)[:nx] for _ in range(n_resamples)]
        adjustment = 1
    masks = np.zeros((len(splits), n), dtype=bool)
    for row, s in enumerate(splits):
        masks[row, s] = True
    sx = masks @ pooled
    return float(x.mean() - y.mean()), sx / nx - (pooled.sum() - sx) / (n - nx), adjustment, pooled


def _p(observed: float, null: np.ndarray, adjustment: int, alternative: str) -> float:
    gamma = abs(observed) * 100 * np.finfo(np.float64).eps
    total = null.size + adjustment
    less = (np.count_nonzero(null <= observed + gamma) + adjustment) / total
    greater = (np.count_nonzero(null >= observed - gamma) + adjustment) / total
    return less if alternative == "less" else greater if alternative == "greater" else min(1.0, 2 * min(less, greater))


@pitfall(replaces="permutation_test", why="sampled p-value count / n_resamples: can be 0, and is biased low")
def no_plus_one(x: np.ndarray, y: np.ndarray, *, alternative: str = "two-sided", n_resamples: int = 9999,
                seed: int = 0) -> tuple[float, float]:
    observed, null, _, _ = _null(x, y, alternative, n_resamples, seed)
    return observed, _p(observed, null, 0, alternative)


@pitfall(replaces="permutation_test", why="two-sided p as the share of |null| >= |observed| instead of twice the smaller tail")
def absolute_two_sided(x: np.ndarray, y: np.ndarray, *, alternative: str = "two-sided", n_resamples: int = 9999,
                       seed: int = 0) -> tuple[float, float]:
    observed, null, adj, _ = _null(x, y, alternative, n_resamples, seed)
    if alternative != "two-sided":
        return observed, _p(observed, null, adj, alternative)
    gamma = abs(observed) * 100 * np.finfo(np.float64).eps
    return observed, (np.count_nonzero(np.abs(null) >= abs(observed) - gamma) + adj) / (null.size + adj)


@pitfall(replaces="permutation_test", why="samples when the number of splits equals n_resamples instead of enumerating them")
def strict_exact_boundary(x: np.ndarray, y: np.ndarray, *, alternative: str = "two-sided", n_resamples: int = 9999,
                          seed: int = 0) -> tuple[float, float]:
    xs, ys = np.asarray(x), np.asarray(y)
    observed, null, adj, _ = _null(x, y, alternative, n_resamples, seed,
                                   exact_if=comb(xs.size + ys.size, xs.size) < n_resamples)
    return observed, _p(observed, null, adj, alternative)
