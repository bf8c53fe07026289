"""found-03-3: maximum likelihood and MAP estimation. Edit this file; `grader check found-03-3` tests it."""
from __future__ import annotations

import numpy as np


def _data(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64).ravel()
    if len(x) == 0:
        raise ValueError("no data")
    return x


def mle_gaussian(x: np.ndarray) -> tuple[float, float]:
    """Maximum-likelihood (mu, sigma²) of a normal sample: the mean and the BIASED variance (divide by n).

    Raises:
        ValueError: if x is empty.
    """
    raise NotImplementedError("mle_gaussian: the sample mean and the 1/n variance")


def mle_bernoulli(x: np.ndarray) -> float:
    """Maximum-likelihood p of 0/1 data: the fraction of ones.

    Raises:
        ValueError: if x is empty or has a value other than 0 and 1.
    """
    raise NotImplementedError("mle_bernoulli: the fraction of ones")


def mle_poisson(x: np.ndarray) -> float:
    """Maximum-likelihood rate λ of count data: the sample mean.

    Raises:
        ValueError: if x is empty or has a negative or non-integer value.
    """
    raise NotImplementedError("mle_poisson: the sample mean")


def map_bernoulli_beta(x: np.ndarray, a: float, b: float) -> float:
    """MAP estimate of p under a Beta(a, b) prior: the mode of the posterior Beta(a + k, b + n − k).

    mode = (a + k − 1) / (a + b + n − 2), with k ones among n values (a = b = 1 gives the MLE).

    Raises:
        ValueError: if the data are invalid (as mle_bernoulli) or a < 1 or b < 1.
    """
    raise NotImplementedError("map_bernoulli_beta: the mode of the Beta posterior")


def map_poisson_gamma(x: np.ndarray, alpha: float, beta: float) -> float:
    """MAP estimate of λ under a Gamma(alpha, rate=beta) prior: the mode of Gamma(alpha + Σx, beta + n).

    mode = max(alpha + Σx − 1, 0) / (beta + n): when alpha + Σx < 1 the posterior density is
    largest at λ = 0.

    Raises:
        ValueError: if the data are invalid (as mle_poisson) or alpha <= 0 or beta <= 0.
    """
    raise NotImplementedError("map_poisson_gamma: the mode of the Gamma posterior")


def map_gaussian_mean(x: np.ndarray, sigma2: float, mu0: float, tau2: float) -> float:
    """MAP (= posterior mean) of mu for x_i ~ N(mu, sigma2) with known sigma2 and prior mu ~ N(mu0, tau2).

    A precision-weighted average: (mu0/tau2 + Σx/sigma2) / (1/tau2 + n/sigma2).

    Raises:
        ValueError: if x is empty or sigma2 <= 0 or tau2 <= 0.
    """
    raise NotImplementedError("map_gaussian_mean: precision-weighted average of the prior mean and the data")
