"""prod-02-4: bootstrap, jackknife and permutation tests. Edit this file; `grader check prod-02-4` tests it."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

# A vectorized statistic, as scipy.stats expects: statistic(samples, axis=-1) reduces the last axis,
# so statistic(x, axis=-1) is one number and statistic(resamples, axis=-1) one number per row.
Statistic = Callable[..., np.ndarray]


def bootstrap_ci(x: np.ndarray, statistic: Statistic, *, n_resamples: int = 999, confidence: float = 0.95,
                 method: str = "percentile", seed: int = 0) -> tuple[float, float]:
    """Two-sided bootstrap confidence interval for statistic(x), as scipy.stats.bootstrap.

    Draw the resamples in one call, idx = np.random.default_rng(seed).integers(0, n, size=(n_resamples, n)),
    evaluate dist = statistic(x[idx], axis=-1), and with alpha = (1 - confidence) / 2 take
    q_lo, q_hi = np.quantile(dist, [alpha, 1 - alpha]) (linear interpolation).
    method "percentile" returns (q_lo, q_hi); method "basic" reflects them around the estimate
    theta = statistic(x, axis=-1): (2 theta - q_hi, 2 theta - q_lo).

    Shapes:
        x: (n,) float; returns: (low, high) floats

    Raises:
        ValueError: if x is not 1-D or has fewer than 2 values, confidence is not in (0, 1),
            n_resamples < 1, or method is not "percentile" or "basic".
    """
    raise NotImplementedError("bootstrap_ci: resample with replacement, quantiles of the statistic")


def jackknife(x: np.ndarray, statistic: Statistic) -> tuple[float, float]:
    """Jackknife estimates of the bias and the standard error of statistic(x).

    With theta_i the statistic of x without its i-th value and theta_bar their mean:
    bias = (n - 1) (theta_bar - theta),  se = sqrt((n - 1) / n * sum_i (theta_i - theta_bar)**2).

    Shapes:
        x: (n,) float; returns: (bias, se) floats

    Raises:
        ValueError: if x is not 1-D or has fewer than 2 values.
    """
    raise NotImplementedError("jackknife: leave-one-out statistics, bias and standard error")


def permutation_test(x: np.ndarray, y: np.ndarray, *, alternative: str = "two-sided", n_resamples: int = 9999,
                     seed: int = 0) -> tuple[float, float]:
    """Two-sample permutation test of the difference in means, as scipy.stats.permutation_test.

    The statistic is mean(x) - mean(y). Its null distribution comes from re-splitting the pooled
    sample into groups of the original sizes: every split (exact test, p = count / number of splits)
    when C(len(x) + len(y), len(x)) <= n_resamples, else n_resamples random splits drawn from
    np.random.default_rng(seed) (p = (count + 1) / (n_resamples + 1)). "greater" counts null values
    >= observed, "less" those <= observed, each with a tie tolerance of 100 * eps * |observed|
    (eps of float64); "two-sided" is min(1, 2 * min(p_less, p_greater)).

    Shapes:
        x: (nx,), y: (ny,) float; returns: (observed statistic, p-value) floats

    Raises:
        ValueError: if x or y is not 1-D or has fewer than 2 values, alternative is unknown, or n_resamples < 1.
    """
    raise NotImplementedError("permutation_test: null distribution of mean differences over re-splits")
