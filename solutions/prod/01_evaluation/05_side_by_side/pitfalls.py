"""Plausible wrong side-by-side evaluations that the tests must reject."""
from __future__ import annotations

import numpy as np

from grader.pitfalls import pitfall


def _check_outcomes(outcomes: np.ndarray, n_resamples: int, confidence: float) -> np.ndarray:
    x = np.asarray(outcomes, dtype=np.float64)
    if x.ndim != 1 or x.size == 0 or not np.all(np.isin(x, (0.0, 0.5, 1.0))):
        raise ValueError("bad outcomes")
    if not 0 < confidence < 1 or n_resamples < 1:
        raise ValueError("bad arguments")
    return x


def _check_wins(wins: np.ndarray) -> np.ndarray:
    w = np.asarray(wins, dtype=np.float64)
    if w.ndim != 2 or w.shape[0] != w.shape[1] or w.shape[0] < 2 or np.any(w < 0) or np.any(np.diag(w) != 0):
        raise ValueError("bad win matrix")
    return w


@pitfall(replaces="win_rate_ci", why="counts a tie as a loss for A instead of half a win")
def ties_as_losses(outcomes: np.ndarray, n_resamples: int = 2000, confidence: float = 0.95,
                   seed: int = 0) -> tuple[float, float, float]:
    x = (_check_outcomes(outcomes, n_resamples, confidence) == 1.0).astype(np.float64)
    means = x[np.random.default_rng(seed).integers(0, x.size, size=(n_resamples, x.size))].mean(axis=-1)
    a = (1 - confidence) / 2
    low, high = np.quantile(means, [a, 1 - a])
    return float(x.mean()), float(low), float(high)


@pitfall(replaces="win_rate_ci", why="puts all of 1 - confidence in each tail: quantiles at 1 - c and c, a narrower interval")
def unhalved_alpha(outcomes: np.ndarray, n_resamples: int = 2000, confidence: float = 0.95,
                   seed: int = 0) -> tuple[float, float, float]:
    x = _check_outcomes(outcomes, n_resamples, confidence)
    means = x[np.random.default_rng(seed).integers(0, x.size, size=(n_resamples, x.size))].mean(axis=-1)
    low, high = np.quantile(means, sorted([1 - confidence, confidence]))
    return float(x.mean()), float(low), float(high)


@pitfall(replaces="win_rate_ci", why="draws the resample indices from the global np.random state, ignoring the seed")
def global_rng(outcomes: np.ndarray, n_resamples: int = 2000, confidence: float = 0.95,
               seed: int = 0) -> tuple[float, float, float]:
    x = _check_outcomes(outcomes, n_resamples, confidence)
    means = x[np.random.randint(0, x.size, size=(n_resamples, x.size))].mean(axis=-1)
    a = (1 - confidence) / 2
    low, high = np.quantile(means, [a, 1 - a])
    return float(x.mean()), float(low), float(high)


@pitfall(replaces="win_rate_ci", why="normal-approximation interval rate +- z * se instead of the bootstrap")
def wald_interval(outcomes: np.ndarray, n_resamples: int = 2000, confidence: float = 0.95,
                  seed: int = 0) -> tuple[float, float, float]:
    from scipy.stats import norm

    x = _check_outcomes(outcomes, n_resamples, confidence)
    half = norm.ppf(0.5 + confidence / 2) * x.std() / np.sqrt(x.size)
    return float(x.mean()), float(x.mean() - half), float(x.mean() + half)


@pitfall(replaces="bradley_terry", why="ranks by the log-odds of each player's overall win fraction, not the joint maximum likelihood")
def win_fraction_logit(wins: np.ndarray) -> np.ndarray:
    w = _check_wins(wins)
    frac = (w.sum(axis=1) + 1e-9) / ((w + w.T).sum(axis=1) + 2e-9)
    s = np.log(frac / (1 - frac))
    return s - s.mean()


@pitfall(replaces="bradley_terry", why="reads wins[i, j] as j beating i: every strength has the wrong sign")
def transposed(wins: np.ndarray) -> np.ndarray:
    w = _check_wins(wins).T
    n, total, p = w + w.T, w.sum(axis=1), np.ones(len(w))
    for _ in range(20_000):
        p = total / (n / (p[:, None] + p[None, :])).sum(axis=1)
        p /= np.exp(np.log(p).mean())
    return np.log(p) - np.log(p).mean()


@pitfall(replaces="bradley_terry", why="stops the MM iteration after 10 steps, far from the maximum")
def few_iterations(wins: np.ndarray) -> np.ndarray:
    w = _check_wins(wins)
    n, total, p = w + w.T, w.sum(axis=1), np.ones(len(w))
    for _ in range(10):
        p = total / (n / (p[:, None] + p[None, :])).sum(axis=1)
        p /= np.exp(np.log(p).mean())
    return np.log(p) - np.log(p).mean()


@pitfall(replaces="bradley_terry", why="normalises the strengths to sum to 1 and returns log p, so the log-strengths are not centred")
def sum_to_one(wins: np.ndarray) -> np.ndarray:
    w = _check_wins(wins)
    n, total, p = w + w.T, w.sum(axis=1), np.ones(len(w))
    for _ in range(20_000):
        p = total / (n / (p[:, None] + p[None, :])).sum(axis=1)
        p /= p.sum()
    return np.log(p)
