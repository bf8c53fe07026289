"""Plausible wrong MLE and MAP estimators that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from estimation import _data, mle_bernoulli, mle_gaussian, mle_poisson

_gauss = mle_gaussian


@pitfall(replaces="mle_gaussian", why="the unbiased n − 1 variance, which is not the maximum-likelihood estimate")
def gauss_unbiased(x: np.ndarray) -> tuple[float, float]:
    x = _data(x)
    return float(x.mean()), float(np.var(x, ddof=1)) if len(x) > 1 else 0.0


@pitfall(replaces="mle_gaussian", why="returns the standard deviation where the variance belongs")
def gauss_std(x: np.ndarray) -> tuple[float, float]:
    mu, var = _gauss(x)
    return mu, float(np.sqrt(var))


@pitfall(replaces="mle_bernoulli", why="accepts any values and returns their mean")
def bern_no_check(x: np.ndarray) -> float:
    return float(_data(x).mean())


@pitfall(replaces="map_bernoulli_beta", why="the posterior mean (a + k)/(a + b + n) instead of its mode")
def bern_posterior_mean(x: np.ndarray, a: float, b: float) -> float:
    mle_bernoulli(x)
    x = _data(x)
    if a < 1 or b < 1:
        raise ValueError("a, b")
    return float((a + x.sum()) / (a + b + len(x)))


@pitfall(replaces="map_bernoulli_beta", why="prior pseudo-counts a, b added without the −1 and −2")
def bern_pseudocounts(x: np.ndarray, a: float, b: float) -> float:
    mle_bernoulli(x)
    x = _data(x)
    if a < 1 or b < 1:
        raise ValueError("a, b")
    return float((a + x.sum() - 1) / (a + b + len(x) - 1))


@pitfall(replaces="map_poisson_gamma", why="the shape and rate updates swapped: (alpha + n − 1) / (beta + Σx)")
def pois_swapped(x: np.ndarray, alpha: float, beta: float) -> float:
    mle_poisson(x)
    x = _data(x)
    if alpha <= 0 or beta <= 0:
        raise ValueError("alpha, beta")
    return float(max(alpha + len(x) - 1, 0.0) / (beta + x.sum()))


@pitfall(replaces="map_poisson_gamma", why="no clamp at 0: alpha + Σx < 1 gives a negative rate")
def pois_no_clamp(x: np.ndarray, alpha: float, beta: float) -> float:
    mle_poisson(x)
    x = _data(x)
    if alpha <= 0 or beta <= 0:
        raise ValueError("alpha, beta")
    return float((alpha + x.sum() - 1) / (beta + len(x)))


@pitfall(replaces="map_gaussian_mean", why="averages the prior mean and the sample mean with equal weights")
def gauss_map_equal_weights(x: np.ndarray, sigma2: float, mu0: float, tau2: float) -> float:
    x = _data(x)
    if sigma2 <= 0 or tau2 <= 0:
        raise ValueError("variances")
    return float((mu0 + x.mean()) / 2)


@pitfall(replaces="map_gaussian_mean", why="weights by variances instead of precisions (the prior counts most when it is vaguest)")
def gauss_map_variance_weights(x: np.ndarray, sigma2: float, mu0: float, tau2: float) -> float:
    x = _data(x)
    if sigma2 <= 0 or tau2 <= 0:
        raise ValueError("variances")
    return float((mu0 * tau2 + x.sum() * sigma2) / (tau2 + len(x) * sigma2))
