"""Reference solution for found-03-7."""
from __future__ import annotations

import math


def markov_bound(mean: float, a: float) -> float:
    if a <= 0 or mean < 0:
        raise ValueError(f"need a > 0 and a non-negative mean, got a={a}, mean={mean}")
    return min(mean / a, 1.0)


def chebyshev_bound(var: float, t: float) -> float:
    if t <= 0 or var < 0:
        raise ValueError(f"need t > 0 and var >= 0, got t={t}, var={var}")
    return min(var / t**2, 1.0)


def hoeffding_bound(n: int, t: float, a: float, b: float) -> float:
    if n < 1 or t <= 0 or not b > a:
        raise ValueError(f"need n >= 1, t > 0, b > a, got n={n}, t={t}, a={a}, b={b}")
    return min(2.0 * math.exp(-2.0 * n * t**2 / (b - a) ** 2), 1.0)


def hoeffding_sample_size(t: float, delta: float, a: float, b: float) -> int:
    if t <= 0 or not 0 < delta < 1 or not b > a:
        raise ValueError(f"need t > 0, 0 < delta < 1, b > a, got t={t}, delta={delta}, a={a}, b={b}")
    return max(1, math.ceil((b - a) ** 2 * math.log(2.0 / delta) / (2.0 * t**2)))
