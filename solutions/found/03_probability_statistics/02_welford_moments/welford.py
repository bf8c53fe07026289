"""Reference solution for found-03-2."""
from __future__ import annotations

import numpy as np


class RunningStats:
    def __init__(self) -> None:
        self.count = 0
        self._mean = 0.0
        self._m2 = 0.0

    def update(self, x: float) -> None:
        self.count += 1
        delta = float(x) - self._mean
        self._mean += delta / self.count
        self._m2 += delta * (float(x) - self._mean)

    def update_batch(self, xs: np.ndarray) -> None:
        xs = np.asarray(xs).ravel()
        if len(xs) == 0:
            return
        batch = RunningStats()
        batch.count = len(xs)
        batch._mean = float(xs.mean())
        batch._m2 = float(np.sum((xs - batch._mean) ** 2))
        merged = self.merge(batch)
        self.count, self._mean, self._m2 = merged.count, merged._mean, merged._m2

    def merge(self, other: RunningStats) -> RunningStats:
        out = RunningStats()
        n = self.count + other.count
        if n == 0:
            return out
        delta = other._mean - self._mean
        out.count = n
        out._mean = self._mean + delta * other.count / n
        out._m2 = self._m2 + other._m2 + delta * delta * self.count * other.count / n
        return out

    @property
    def mean(self) -> float:
        if self.count == 0:
            raise ValueError("the mean of no data is undefined")
        return self._mean

    def variance(self, ddof: int = 1) -> float:
        if self.count <= ddof:
            raise ValueError(f"need more than ddof={ddof} values, have {self.count}")
        return self._m2 / (self.count - ddof)


def central_moments(x: np.ndarray) -> tuple[float, float, float, float]:
    x = np.asarray(x).ravel()
    if len(x) == 0:
        raise ValueError("no data")
    mean = float(x.mean())
    d = x - mean
    m2, m3, m4 = (float(np.mean(d**k)) for k in (2, 3, 4))
    if m2 == 0.0:
        return mean, 0.0, float("nan"), float("nan")
    return mean, m2, m3 / m2**1.5, m4 / m2**2 - 3.0
