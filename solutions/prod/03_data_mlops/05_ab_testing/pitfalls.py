"""Plausible wrong A/B-testing code that the tests must reject."""
from __future__ import annotations

import math

import numpy as np
from scipy import stats

from grader.pitfalls import pitfall


def _check(successes_a: int, n_a: int, successes_b: int, n_b: int, alternative: str) -> None:
    if n_a <= 0 or n_b <= 0 or not 0 <= successes_a <= n_a or not 0 <= successes_b <= n_b \
            or alternative not in ("two-sided", "larger", "smaller"):
        raise ValueError("bad inputs")


def _tails(z: float, alternative: str) -> float:
    return float(stats.norm.sf(z) if alternative == "larger" else stats.norm.cdf(z) if alternative == "smaller"
                 else 2 * stats.norm.sf(abs(z)))


@pitfall(replaces="two_proportion_ztest", why="unpooled (Wald) standard error sqrt(p_a q_a / n_a + p_b q_b / n_b) under the null")
def unpooled_se(successes_a: int, n_a: int, successes_b: int, n_b: int, alternative: str = "two-sided") -> tuple[float, float]:
    _check(successes_a, n_a, successes_b, n_b, alternative)
    pa, pb = successes_a / n_a, successes_b / n_b
    se = math.sqrt(pa * (1 - pa) / n_a + pb * (1 - pb) / n_b)
    if se == 0:
        return 0.0, 1.0
    z = (pa - pb) / se
    return float(z), _tails(z, alternative)


@pitfall(replaces="two_proportion_ztest", why="two-sided p-value from one tail, without the factor 2")
def one_tail_two_sided(successes_a: int, n_a: int, successes_b: int, n_b: int,
                       alternative: str = "two-sided") -> tuple[float, float]:
    _check(successes_a, n_a, successes_b, n_b, alternative)
    pooled = (successes_a + successes_b) / (n_a + n_b)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    if se == 0:
        return 0.0, 1.0
    z = (successes_a / n_a - successes_b / n_b) / se
    return float(z), float(stats.norm.sf(abs(z))) if alternative == "two-sided" else _tails(z, alternative)


@pitfall(replaces="two_proportion_ztest", why="'larger' reads the lower tail: the alternatives are swapped")
def swapped_tails(successes_a: int, n_a: int, successes_b: int, n_b: int, alternative: str = "two-sided") -> tuple[float, float]:
    _check(successes_a, n_a, successes_b, n_b, alternative)
    pooled = (successes_a + successes_b) / (n_a + n_b)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    if se == 0:
        return 0.0, 1.0
    z = (successes_a / n_a - successes_b / n_b) / se
    swap = {"larger": "smaller", "smaller": "larger", "two-sided": "two-sided"}
    return float(z), _tails(z, swap[alternative])


def _n(p_a: float, mde: float, alpha: float, power: float, z_alpha: float | None = None, pooled: bool = True) -> float:
    p_b = p_a + mde
    if not (0 < p_a < 1 and 0 < p_b < 1) or mde == 0 or not (0 < alpha < 1 and 0 < power < 1):
        raise ValueError("bad inputs")
    p_bar = (p_a + p_b) / 2 if pooled else p_a
    za = stats.norm.ppf(1 - alpha / 2) if z_alpha is None else z_alpha
    return (za * math.sqrt(2 * p_bar * (1 - p_bar)) + stats.norm.ppf(power) * math.sqrt(p_a * (1 - p_a) + p_b * (1 - p_b))) ** 2 / mde ** 2


@pitfall(replaces="sample_size", why="one-sided critical value z_{1-alpha} for a two-sided test: too few users")
def one_sided_critical_value(p_a: float, mde: float, alpha: float = 0.05, power: float = 0.8) -> int:
    return math.ceil(_n(p_a, mde, alpha, power, z_alpha=stats.norm.ppf(1 - alpha)))


@pitfall(replaces="sample_size", why="rounds the sample size to the nearest int instead of up: can fall short of the power")
def rounds_to_nearest(p_a: float, mde: float, alpha: float = 0.05, power: float = 0.8) -> int:
    return round(_n(p_a, mde, alpha, power))


@pitfall(replaces="sample_size", why="null variance from the baseline rate p_a instead of the average rate p_bar")
def baseline_null_variance(p_a: float, mde: float, alpha: float = 0.05, power: float = 0.8) -> int:
    return math.ceil(_n(p_a, mde, alpha, power, pooled=False))


def _sim(p: float, n_per_look: int, n_looks: int, alpha: float, n_sims: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    if not 0 < p < 1 or n_per_look < 1 or n_looks < 1 or n_sims < 1 or not 0 < alpha < 1:
        raise ValueError("bad inputs")
    batches = np.random.default_rng(seed).binomial(n_per_look, p, size=(n_sims, n_looks, 2))
    return batches, np.cumsum(batches, axis=1)


def _pvalues(counts: np.ndarray, n: np.ndarray) -> np.ndarray:
    pooled = counts.sum(axis=2) / (2 * n)
    se = np.sqrt(pooled * (1 - pooled) * (2 / n))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(se > 0, (counts[..., 0] - counts[..., 1]) / n / se, 0.0)
    return 2 * stats.norm.sf(np.abs(z))


@pitfall(replaces="peeking_false_positive_rate", why="tests only the final look: no peeking, so no inflation is shown")
def final_look_only(p: float, n_per_look: int, n_looks: int, *, alpha: float = 0.05, n_sims: int = 2000,
                    seed: int = 0) -> float:
    _, cum = _sim(p, n_per_look, n_looks, alpha, n_sims, seed)
    return float(np.mean(_pvalues(cum[:, -1:], np.array([[n_per_look * n_looks]])) < alpha))


@pitfall(replaces="peeking_false_positive_rate", why="tests each new batch on its own instead of all data so far")
def batch_by_batch(p: float, n_per_look: int, n_looks: int, *, alpha: float = 0.05, n_sims: int = 2000,
                   seed: int = 0) -> float:
    batches, _ = _sim(p, n_per_look, n_looks, alpha, n_sims, seed)
    return float(np.mean((_pvalues(batches, np.full((1, n_looks), n_per_look)) < alpha).any(axis=1)))
