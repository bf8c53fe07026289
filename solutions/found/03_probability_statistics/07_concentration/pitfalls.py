"""Plausible wrong concentration bounds that the tests must reject."""
from __future__ import annotations

import math

from grader.pitfalls import pitfall


@pitfall(replaces="markov_bound", why="mean / a without the cap at 1 (a probability bound above 1)")
def markov_uncapped(mean: float, a: float) -> float:
    if a <= 0 or mean < 0:
        raise ValueError("args")
    return mean / a


@pitfall(replaces="chebyshev_bound", why="var / t instead of var / t²")
def chebyshev_t(var: float, t: float) -> float:
    if t <= 0 or var < 0:
        raise ValueError("args")
    return min(var / t, 1.0)


@pitfall(replaces="chebyshev_bound", why="the standard deviation where the variance belongs: sqrt(var) / t²")
def chebyshev_std(var: float, t: float) -> float:
    if t <= 0 or var < 0:
        raise ValueError("args")
    return min(math.sqrt(var) / t**2, 1.0)


@pitfall(replaces="hoeffding_bound", why="the one-sided bound exp(−2nt²/(b−a)²) for a two-sided event")
def hoeffding_one_sided(n: int, t: float, a: float, b: float) -> float:
    if n < 1 or t <= 0 or not b > a:
        raise ValueError("args")
    return min(math.exp(-2.0 * n * t**2 / (b - a) ** 2), 1.0)


@pitfall(replaces="hoeffding_bound", why="forgets the range: exp(−2nt²) as if every variable lived in [0, 1]")
def hoeffding_no_range(n: int, t: float, a: float, b: float) -> float:
    if n < 1 or t <= 0 or not b > a:
        raise ValueError("args")
    return min(2.0 * math.exp(-2.0 * n * t**2), 1.0)


@pitfall(replaces="hoeffding_sample_size", why="int() (floor) of the closed form instead of ceil: one sample short")
def sample_size_floor(t: float, delta: float, a: float, b: float) -> int:
    if t <= 0 or not 0 < delta < 1 or not b > a:
        raise ValueError("args")
    return max(1, int((b - a) ** 2 * math.log(2.0 / delta) / (2.0 * t**2)))


@pitfall(replaces="hoeffding_sample_size", why="log(1/δ) instead of log(2/δ): sized for the one-sided bound")
def sample_size_one_sided(t: float, delta: float, a: float, b: float) -> int:
    if t <= 0 or not 0 < delta < 1 or not b > a:
        raise ValueError("args")
    return max(1, math.ceil((b - a) ** 2 * math.log(1.0 / delta) / (2.0 * t**2)))
