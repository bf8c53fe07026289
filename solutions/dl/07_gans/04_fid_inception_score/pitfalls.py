"""Plausible wrong FID / IS implementations that the tests must reject."""
from __future__ import annotations

import numpy as np
from scipy import linalg
from scipy.special import xlogy

from grader.pitfalls import pitfall


@pitfall(replaces="gaussian_stats", why="biased covariance (divides by n), not np.cov's n − 1")
def biased_cov(features: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    mu = features.mean(axis=0)
    c = features - mu
    return mu, c.T @ c / len(features)


@pitfall(replaces="frechet_distance", why="√(Σ1 ⊙ Σ2) elementwise instead of the matrix square root of Σ1 Σ2")
def elementwise_sqrt(mu1: np.ndarray, sigma1: np.ndarray, mu2: np.ndarray, sigma2: np.ndarray) -> float:
    diff = mu1 - mu2
    return float(diff @ diff + np.trace(sigma1 + sigma2) - 2 * np.trace(np.sqrt(np.abs(sigma1 * sigma2))))


@pitfall(replaces="frechet_distance", why="forgets the factor 2 on the cross term")
def missing_two(mu1: np.ndarray, sigma1: np.ndarray, mu2: np.ndarray, sigma2: np.ndarray) -> float:
    diff = mu1 - mu2
    return float(diff @ diff + np.trace(sigma1 + sigma2) - np.trace(np.real(linalg.sqrtm(sigma1 @ sigma2))))


@pitfall(replaces="frechet_distance", why="‖μ1 − μ2‖ instead of its square")
def unsquared_mean_term(mu1: np.ndarray, sigma1: np.ndarray, mu2: np.ndarray, sigma2: np.ndarray) -> float:
    return float(np.linalg.norm(mu1 - mu2) + np.trace(sigma1 + sigma2)
                 - 2 * np.trace(np.real(linalg.sqrtm(sigma1 @ sigma2))))


def _is(probs: np.ndarray, splits: int, reverse: bool = False, use_exp: bool = True,
        global_marginal: bool = False) -> tuple[float, float]:
    if not 1 <= splits <= len(probs):
        raise ValueError("splits")
    scores, full = [], probs.mean(axis=0, keepdims=True)
    for part in np.array_split(probs, splits):
        m = full if global_marginal else part.mean(axis=0, keepdims=True)
        kl = ((xlogy(m, m) - xlogy(m, part)) if reverse else (xlogy(part, part) - xlogy(part, m))).sum(axis=1)
        scores.append(np.exp(kl.mean()) if use_exp else kl.mean())
    return float(np.mean(scores)), float(np.std(scores))


@pitfall(replaces="inception_score", why="KL(p(y) ‖ p(y|x)): the divergence the wrong way round")
def reversed_kl(probs: np.ndarray, splits: int = 1) -> tuple[float, float]:
    return _is(probs, splits, reverse=True)


@pitfall(replaces="inception_score", why="returns the mean KL without the exponential")
def no_exp(probs: np.ndarray, splits: int = 1) -> tuple[float, float]:
    return _is(probs, splits, use_exp=False)


@pitfall(replaces="inception_score", why="one marginal over all rows, not per split")
def global_marginal(probs: np.ndarray, splits: int = 1) -> tuple[float, float]:
    return _is(probs, splits, global_marginal=True)
