"""Reference solution for prod-03-7."""
from __future__ import annotations

import numpy as np

PAGE_RULES = ((3600.0, 300.0, 14.4), (21600.0, 1800.0, 6.0))


def counter_increase(times: np.ndarray, values: np.ndarray, now: float, window: float) -> float:
    t, v = np.asarray(times), np.asarray(values)
    if t.ndim != 1 or t.shape != v.shape:
        raise ValueError("times and values must be 1-D of the same length")
    if np.any(np.diff(t) <= 0):
        raise ValueError("times must be strictly increasing")
    if window <= 0:
        raise ValueError("window must be positive")
    keep = (t > now - window) & (t <= now)
    w = v[keep]
    total = 0.0
    for prev, cur in zip(w[:-1], w[1:], strict=True):
        total += cur - prev if cur >= prev else cur
    return float(total)


class Histogram:
    def __init__(self, bounds: list[float]) -> None:
        b = np.asarray(bounds)
        if b.ndim != 1 or b.size == 0 or np.any(np.diff(b) <= 0):
            raise ValueError("bounds must be a non-empty strictly increasing list")
        self.bounds = b
        self.bucket_counts = np.zeros(b.size + 1, dtype=np.int64)
        self.sum = 0.0
        self.count = 0

    def observe(self, value: float) -> None:
        self.bucket_counts[np.searchsorted(self.bounds, value, side="left")] += 1
        self.sum += value
        self.count += 1

    def cumulative(self) -> np.ndarray:
        return np.cumsum(self.bucket_counts)

    def quantile(self, q: float) -> float:
        if not 0 < q <= 1:
            raise ValueError("q must lie in [0, 1]")
        if self.count == 0:
            return float("nan")
        cum = self.cumulative()
        rank = q * self.count
        i = int(np.searchsorted(cum, rank, side="left"))
        if i == self.bounds.size:
            return float(self.bounds[-1])
        lower = self.bounds[i - 1] if i > 0 else min(0.0, self.bounds[0])
        below = cum[i - 1] if i > 0 else 0
        in_bucket = cum[i] - below
        return float(lower + (self.bounds[i] - lower) * (rank - below) / in_bucket)


def burn_rate(times: np.ndarray, is_error: np.ndarray, now: float, window: float, slo: float) -> float:
    t, e = np.asarray(times), np.asarray(is_error)
    if t.ndim != 1 or t.shape != e.shape:
        raise ValueError("times and is_error must be 1-D of the same length")
    if not 0 < slo < 1 or window <= 0:
        raise ValueError("need 0 < slo < 1 and window > 0")
    keep = (t > now - window) & (t <= now)
    n = int(keep.sum())
    if n == 0:
        return 0.0
    return float(e[keep].sum() / n / (1 - slo))


def should_page(times: np.ndarray, is_error: np.ndarray, now: float, slo: float = 0.999,
                rules: tuple[tuple[float, float, float], ...] = PAGE_RULES) -> bool:
    return any(burn_rate(times, is_error, now, long, slo) > threshold and burn_rate(times, is_error, now, short, slo) > threshold
               for long, short, threshold in rules)
