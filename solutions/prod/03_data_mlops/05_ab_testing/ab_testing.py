"""Reference solution for prod-03-5."""
from __future__ import annotations

import math

import numpy as np
from scipy import stats


def two_proportion_ztest(successes_a: int, n_a: int, successes_b: int, n_b: int,
                         alternative: str = "two-sided") -> tuple[float, float]:
    if n_a <= 0 or n_b <= 0 or not 0 <= successes_a <= n_a or not 0 <= successes_b <= n_b:
        raise ValueError("need positive sizes and 0 <= successes <= n")
    if alternative not in ("two-sided", "larger", "smaller"):
        raise ValueError(f"unknown alternative {alternative!r}")
    pooled = (successes_a + successes_b) / (n_a + n_b)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    if se == 0:
        return 0.0, 1.0
    z = (successes_a / n_a - successes_b / n_b) / se
    if alternative == "larger":
        p = stats.norm.sf(z)
    elif alternative == "smaller":
        p = stats.norm.cdf(z)
    else:
        p = 2 * stats.norm.sf(abs(z))
    return float(z), float(p)


def sample_size(p_a: float, mde: float, alpha: float = 0.05, power: float = 0.8) -> int:
    p_b = p_a + mde
    if not (0 < p_a < 1 and 0 < p_b < 1) or mde == 0:
        raise ValueError("need 0 < p_a, p_a + mde < 1 and mde != 0")
    if not (0 < alpha < 1 and 0 < power < 1):
        raise ValueError("alpha and power must lie in (0, 1)")
    p_bar = (p_a + p_b) / 2
    z_alpha, z_beta = stats.norm.ppf(1 - alpha / 2), stats.norm.ppf(power)
    n = (z_alpha * math.sqrt(2 * p_bar * (1 - p_bar)) + z_beta * math.sqrt(p_a * (1 - p_a) + p_b * (1 - p_b))) ** 2 / mde ** 2
    return math.ceil(n)


def peeking_false_positive_rate(p: float, n_per_look: int, n_looks: int, *, alpha: float = 0.05,
                                n_sims: int = 2000, seed: int = 0) -> float:
    if not 0 < p < 1 or n_per_look < 1 or n_looks < 1 or n_sims < 1 or not 0 < alpha < 1:
        raise ValueError("bad simulation settings")
    rng = np.random.default_rng(seed)
    batches = rng.binomial(n_per_look, p, size=(n_sims, n_looks, 2))
    cumulative = np.cumsum(batches, axis=1)
    n = n_per_look * np.arange(1, n_looks + 1)[None, :]
    pooled = cumulative.sum(axis=2) / (2 * n)
    se = np.sqrt(pooled * (1 - pooled) * (2 / n))
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(se > 0, (cumulative[..., 0] - cumulative[..., 1]) / n / se, 0.0)
    pvalues = 2 * stats.norm.sf(np.abs(z))
    return float(np.mean((pvalues < alpha).any(axis=1)))
