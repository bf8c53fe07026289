"""Reference solution for found-03-9."""
from __future__ import annotations

import numpy as np


def poisson_process(rate: float, T: float, seed: int) -> np.ndarray:
    if rate <= 0 or T <= 0:
        raise ValueError(f"need rate > 0 and T > 0, got rate={rate}, T={T}")
    rng = np.random.default_rng(seed)
    times, t = [], 0.0
    while True:
        t += rng.exponential(1.0 / rate)
        if t >= T:
            return np.array(times)
        times.append(t)


def poisson_process_by_counts(rate: float, T: float, seed: int) -> np.ndarray:
    if rate <= 0 or T <= 0:
        raise ValueError(f"need rate > 0 and T > 0, got rate={rate}, T={T}")
    rng = np.random.default_rng(seed)
    n = rng.poisson(rate * T)
    return np.sort(rng.uniform(0.0, T, n))


def counts_per_window(arrivals: np.ndarray, T: float, width: float) -> np.ndarray:
    if width <= 0:
        raise ValueError(f"width must be positive, got {width}")
    n_windows = int(round(T / width))
    if n_windows < 1 or not np.isclose(n_windows * width, T):
        raise ValueError(f"T={T} must be a positive whole number of windows of width {width}")
    idx = np.floor(np.asarray(arrivals) / width).astype(int)
    idx = idx[(idx >= 0) & (idx < n_windows)]
    return np.bincount(idx, minlength=n_windows)
