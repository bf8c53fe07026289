"""prod-03-5: A/B testing, sample size and the peeking pitfall. Edit this file; `grader check prod-03-5` tests it."""
from __future__ import annotations

import math  # noqa: F401

from scipy import stats  # noqa: F401  (stats.norm: cdf, sf, ppf)


def two_proportion_ztest(successes_a: int, n_a: int, successes_b: int, n_b: int,
                         alternative: str = "two-sided") -> tuple[float, float]:
    """Two-proportion z-test with the pooled standard error, as statsmodels' proportions_ztest.

    z = (p_a - p_b) / sqrt(p (1 - p) (1/n_a + 1/n_b)), p the pooled success rate. p-value:
    "two-sided" 2 P(Z >= |z|), "larger" (H1: p_a > p_b) P(Z >= z), "smaller" P(Z <= z).
    When the pooled rate is 0 or 1 there is no evidence either way: return (0.0, 1.0).

    Shapes:
        counts are ints; returns: (z, p_value) floats

    Raises:
        ValueError: if n_a or n_b <= 0, a success count is outside [0, n], or alternative is unknown.
    """
    raise NotImplementedError("two_proportion_ztest: pooled rate, standard error, normal tail")


def sample_size(p_a: float, mde: float, alpha: float = 0.05, power: float = 0.8) -> int:
    """Users per group for a two-sided test at level alpha to detect p_b = p_a + mde with `power`.

    n = (z_{1-alpha/2} sqrt(2 p_bar (1 - p_bar)) + z_power sqrt(p_a (1 - p_a) + p_b (1 - p_b)))**2 / mde**2,
    p_bar = (p_a + p_b) / 2, z_q the standard normal quantile; rounded up to an int.

    Raises:
        ValueError: if p_a or p_a + mde is not in (0, 1), mde == 0, or alpha or power is not in (0, 1).
    """
    raise NotImplementedError("sample_size: the normal-approximation power formula, rounded up")


def peeking_false_positive_rate(p: float, n_per_look: int, n_looks: int, *, alpha: float = 0.05,
                                n_sims: int = 2000, seed: int = 0) -> float:
    """Share of simulated A/A tests that a peeking experimenter declares significant.

    Each of n_sims experiments gives both arms the same true rate p. Data arrives in n_looks
    batches of n_per_look users per arm (binomial counts from np.random.default_rng(seed)); after
    each batch the experimenter runs the two-sided pooled z-test on all data so far and stops with
    "significant" the first time p_value < alpha. Returns (number of experiments stopped) / n_sims.

    Raises:
        ValueError: if p or alpha is not in (0, 1), or n_per_look, n_looks or n_sims < 1.
    """
    raise NotImplementedError("peeking_false_positive_rate: simulate A/A tests, test after every batch")
