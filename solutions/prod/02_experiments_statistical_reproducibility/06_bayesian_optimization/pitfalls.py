"""Plausible wrong Bayesian-optimisation pieces that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from scipy import stats

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from bayes_opt import expected_improvement, gp_posterior, rbf_kernel


def _check(x_train: np.ndarray, y_train: np.ndarray, x_test: np.ndarray, length_scale: float, noise: float,
           signal_var: float) -> None:
    if x_train.ndim != 2 or x_test.ndim != 2 or y_train.shape != (x_train.shape[0],) or x_train.shape[1] != x_test.shape[1] \
            or length_scale <= 0 or noise < 0 or signal_var <= 0:
        raise ValueError("bad inputs")


@pitfall(replaces="gp_posterior", why="adds the noise variance to the predictive std: reports y's spread, not f's")
def noisy_sigma(x_train: np.ndarray, y_train: np.ndarray, x_test: np.ndarray, *, length_scale: float = 1.0,
                noise: float = 1e-6, signal_var: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    _check(x_train, y_train, x_test, length_scale, noise, signal_var)
    k = rbf_kernel(x_train, x_train, length_scale, signal_var) + noise * np.eye(len(x_train))
    ks = rbf_kernel(x_test, x_train, length_scale, signal_var)
    mu = ks @ np.linalg.solve(k, y_train)
    var = signal_var + noise - np.sum(ks * np.linalg.solve(k, ks.T).T, axis=1)
    return mu, np.sqrt(np.clip(var, 0, None))


@pitfall(replaces="gp_posterior", why="forgets that the posterior variance is the prior signal_var minus the explained part: uses 1")
def unit_prior_variance(x_train: np.ndarray, y_train: np.ndarray, x_test: np.ndarray, *, length_scale: float = 1.0,
                        noise: float = 1e-6, signal_var: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    _check(x_train, y_train, x_test, length_scale, noise, signal_var)
    k = rbf_kernel(x_train, x_train, length_scale, signal_var) + noise * np.eye(len(x_train))
    ks = rbf_kernel(x_test, x_train, length_scale, signal_var)
    mu = ks @ np.linalg.solve(k, y_train)
    var = 1.0 - np.sum(ks * np.linalg.solve(k, ks.T).T, axis=1)
    return mu, np.sqrt(np.clip(var, 0, None))


@pitfall(replaces="expected_improvement", why="the maximisation form: improvement mu - best instead of best - mu")
def maximisation_ei(mu: np.ndarray, sigma: np.ndarray, best: float, xi: float = 0.0) -> np.ndarray:
    mu, sigma = np.asarray(mu, dtype=np.float64), np.asarray(sigma, dtype=np.float64)
    if mu.shape != sigma.shape or np.any(sigma < 0):
        raise ValueError("bad inputs")
    gain = mu - best - xi
    z = gain / np.where(sigma > 0, sigma, 1.0)
    return np.where(sigma > 0, gain * stats.norm.cdf(z) + sigma * stats.norm.pdf(z), np.maximum(gain, 0.0))


@pitfall(replaces="expected_improvement", why="EI = 0 wherever sigma = 0, even when the mean is a sure improvement")
def zero_at_no_uncertainty(mu: np.ndarray, sigma: np.ndarray, best: float, xi: float = 0.0) -> np.ndarray:
    mu, sigma = np.asarray(mu, dtype=np.float64), np.asarray(sigma, dtype=np.float64)
    if mu.shape != sigma.shape or np.any(sigma < 0):
        raise ValueError("bad inputs")
    gain = best - mu - xi
    z = gain / np.where(sigma > 0, sigma, 1.0)
    return np.where(sigma > 0, gain * stats.norm.cdf(z) + sigma * stats.norm.pdf(z), 0.0)


@pitfall(replaces="expected_improvement", why="drops the exploration term sigma * phi(z)")
def no_exploration_term(mu: np.ndarray, sigma: np.ndarray, best: float, xi: float = 0.0) -> np.ndarray:
    mu, sigma = np.asarray(mu, dtype=np.float64), np.asarray(sigma, dtype=np.float64)
    if mu.shape != sigma.shape or np.any(sigma < 0):
        raise ValueError("bad inputs")
    gain = best - mu - xi
    z = gain / np.where(sigma > 0, sigma, 1.0)
    return np.where(sigma > 0, gain * stats.norm.cdf(z), np.maximum(gain, 0.0))


@pitfall(replaces="propose", why="improvement measured against the worst observation max(y) instead of the best min(y)")
def against_worst(x_train: np.ndarray, y_train: np.ndarray, candidates: np.ndarray, *, length_scale: float = 1.0,
                  noise: float = 1e-6, xi: float = 0.0) -> int:
    mu, sigma = gp_posterior(x_train, y_train, candidates, length_scale=length_scale, noise=noise)
    return int(np.argmax(expected_improvement(mu, sigma, float(y_train.max()), xi=xi)))
