"""Plausible wrong Poisson-process simulations that the tests must reject."""
from __future__ import annotations

import numpy as np

from grader.pitfalls import pitfall


@pitfall(replaces="poisson_process", why="exponential(rate) where the scale is 1/rate: gaps have mean rate, not 1/rate")
def gaps_scale_rate(rate: float, T: float, seed: int) -> np.ndarray:
    if rate <= 0 or T <= 0:
        raise ValueError("args")
    rng, times, t = np.random.default_rng(seed), [], 0.0
    while (t := t + rng.exponential(rate)) < T:
        times.append(t)
    return np.array(times)


@pitfall(replaces="poisson_process", why="keeps the first time past T as an arrival")
def keeps_overshoot(rate: float, T: float, seed: int) -> np.ndarray:
    if rate <= 0 or T <= 0:
        raise ValueError("args")
    rng, times, t = np.random.default_rng(seed), [], 0.0
    while t < T:
        t += rng.exponential(1.0 / rate)
        times.append(t)
    return np.array(times)


@pitfall(replaces="poisson_process", why="draws from np.random's global state")
def global_rng(rate: float, T: float, seed: int) -> np.ndarray:
    if rate <= 0 or T <= 0:
        raise ValueError("args")
    times, t = [], 0.0
    while (t := t + np.random.exponential(1.0 / rate)) < T:
        times.append(t)
    return np.array(times)


@pitfall(replaces="poisson_process_by_counts", why="a fixed count round(rate·T) instead of a Poisson one")
def fixed_count(rate: float, T: float, seed: int) -> np.ndarray:
    if rate <= 0 or T <= 0:
        raise ValueError("args")
    rng = np.random.default_rng(seed)
    rng.poisson(rate * T)
    return np.sort(rng.uniform(0.0, T, int(round(rate * T))))


@pitfall(replaces="poisson_process_by_counts", why="forgets to sort the uniform times")
def unsorted(rate: float, T: float, seed: int) -> np.ndarray:
    if rate <= 0 or T <= 0:
        raise ValueError("args")
    rng = np.random.default_rng(seed)
    return rng.uniform(0.0, T, rng.poisson(rate * T))


@pitfall(replaces="counts_per_window", why="right-closed windows (k·w, (k+1)·w]: boundary arrivals land one window early")
def right_closed(arrivals: np.ndarray, T: float, width: float) -> np.ndarray:
    if width <= 0:
        raise ValueError("width")
    n = int(round(T / width))
    if n < 1 or not np.isclose(n * width, T):
        raise ValueError("T")
    idx = np.ceil(np.asarray(arrivals) / width).astype(int) - 1
    idx = idx[(idx >= 0) & (idx < n)]
    return np.bincount(idx, minlength=n)
