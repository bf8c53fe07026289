"""Reference solution for found-02-5."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np


def mc_integrate(f: Callable[[np.ndarray], np.ndarray], a: float, b: float, n: int,
                 seed: int) -> tuple[float, float]:
    if n < 2 or not b > a:
        raise ValueError(f"need n >= 2 and b > a, got n={n}, a={a}, b={b}")
    rng = np.random.default_rng(seed)
    x = a + (b - a) * rng.random(n)
    values = (b - a) * f(x)
    return float(values.mean()), float(values.std(ddof=1) / np.sqrt(n))


def importance_sample(f: Callable[[np.ndarray], np.ndarray],
                      sample_q: Callable[[np.random.Generator, int], np.ndarray],
                      pdf_q: Callable[[np.ndarray], np.ndarray], n: int, seed: int) -> tuple[float, float]:
    if n < 2:
        raise ValueError(f"need n >= 2, got {n}")
    rng = np.random.default_rng(seed)
    x = sample_q(rng, n)
    w = f(x) / pdf_q(x)
    return float(w.mean()), float(w.std(ddof=1) / np.sqrt(n))
