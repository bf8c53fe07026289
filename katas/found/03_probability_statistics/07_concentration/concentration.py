"""found-03-7: Markov, Chebyshev and Hoeffding bounds. Edit this file; `grader check found-03-7` tests it."""
from __future__ import annotations

import math  # noqa: F401  (math.exp, math.log, math.ceil are all you need)


def markov_bound(mean: float, a: float) -> float:
    """Markov: P(X >= a) <= E[X] / a for X >= 0; returned as min(mean / a, 1).

    Raises:
        ValueError: if a <= 0 or mean < 0.
    """
    raise NotImplementedError("markov_bound: mean / a, capped at 1")


def chebyshev_bound(var: float, t: float) -> float:
    """Chebyshev: P(|X − E[X]| >= t) <= Var[X] / t²; returned as min(var / t², 1).

    Raises:
        ValueError: if t <= 0 or var < 0.
    """
    raise NotImplementedError("chebyshev_bound: var / t^2, capped at 1")


def hoeffding_bound(n: int, t: float, a: float, b: float) -> float:
    """Hoeffding: for the mean X̄ of n independent variables in [a, b],
    P(|X̄ − E[X̄]| >= t) <= 2 exp(−2 n t² / (b − a)²); returned capped at 1.

    Raises:
        ValueError: if n < 1, t <= 0 or b <= a.
    """
    raise NotImplementedError("hoeffding_bound: two-sided, 2 exp(-2 n t^2 / (b - a)^2)")


def hoeffding_sample_size(t: float, delta: float, a: float, b: float) -> int:
    """The smallest n >= 1 with hoeffding_bound(n, t, a, b) <= delta, from the closed form.

    Solving 2 exp(−2 n t² / (b − a)²) <= δ for n: n = max(1, ceil((b − a)² log(2/δ) / (2 t²))),
    computed in that order with math.log and math.ceil.

    Raises:
        ValueError: if t <= 0, delta is not in (0, 1), or b <= a.
    """
    raise NotImplementedError("hoeffding_sample_size: invert the Hoeffding bound for n")
