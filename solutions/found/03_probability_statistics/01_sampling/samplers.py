"""Reference solution for found-03-1."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np


def exponential_inverse_cdf(rate: float, n: int, seed: int) -> np.ndarray:
    if rate <= 0:
        raise ValueError(f"rate must be positive, got {rate}")
    u = np.random.default_rng(seed).random(n)
    return -np.log1p(-u) / rate


def box_muller(n: int, seed: int) -> np.ndarray:
    m = (n + 1) // 2
    u = np.random.default_rng(seed).random((2, m))
    r = np.sqrt(-2.0 * np.log1p(-u[0]))  # 1 - u is in (0, 1]: the log is finite
    theta = 2.0 * np.pi * u[1]
    return np.concatenate([r * np.cos(theta), r * np.sin(theta)])[:n]


def rejection_sample(pdf: Callable[[np.ndarray], np.ndarray],
                     sample_q: Callable[[np.random.Generator, int], np.ndarray],
                     pdf_q: Callable[[np.ndarray], np.ndarray], M: float, n: int,
                     seed: int) -> tuple[np.ndarray, float]:
    if M <= 0 or n < 1:
        raise ValueError(f"need M > 0 and n >= 1, got M={M}, n={n}")
    rng = np.random.default_rng(seed)
    kept: list[np.ndarray] = []
    accepted = proposed = 0
    while accepted < n:
        x = sample_q(rng, n)
        u = rng.random(n)
        ratio = pdf(x) / (M * pdf_q(x))
        if np.any(ratio > 1.0):
            raise ValueError("the envelope M·q(x) is below the target pdf(x): increase M")
        keep = x[u <= ratio]
        kept.append(keep)
        accepted += len(keep)
        proposed += n
    return np.concatenate(kept)[:n], accepted / proposed
