"""Plausible wrong running statistics and moments that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from welford import RunningStats, central_moments

_merge, _moments = RunningStats.merge, central_moments  # the solution's versions


@pitfall(replaces="RunningStats.update", why="keeps Σx and Σx² and computes M2 = Σx² − n·mean²: cancels at a 1e8 offset")
def update_sum_of_squares(self: RunningStats, x: float) -> None:
    s = getattr(self, "_s", 0.0) + float(x)
    ss = getattr(self, "_ss", 0.0) + float(x) ** 2
    self._s, self._ss = s, ss
    self.count += 1
    self._mean = s / self.count
    self._m2 = max(ss - self.count * self._mean**2, 0.0)


@pitfall(replaces="RunningStats.update", why="M2 += delta² with the old mean on both sides (delta · (x − new mean) is right)")
def update_delta_squared(self: RunningStats, x: float) -> None:
    self.count += 1
    delta = float(x) - self._mean
    self._mean += delta / self.count
    self._m2 += delta * delta


@pitfall(replaces="RunningStats.variance", why="ignores ddof and always divides by n − 1")
def variance_ignores_ddof(self: RunningStats, ddof: int = 1) -> float:
    if self.count <= ddof:
        raise ValueError("too few")
    return self._m2 / (self.count - 1)


@pitfall(replaces="RunningStats.merge", why="averages the two means without weighting them by their counts")
def merge_unweighted(self: RunningStats, other: RunningStats) -> RunningStats:
    out = _merge(self, other)
    if self.count and other.count:
        out._mean = (self._mean + other._mean) / 2
    return out


@pitfall(replaces="RunningStats.merge", why="adds M2_a + M2_b and forgets the δ² n_a n_b / n term for the gap between the means")
def merge_no_gap_term(self: RunningStats, other: RunningStats) -> RunningStats:
    out = _merge(self, other)
    out._m2 = self._m2 + other._m2
    return out


@pitfall(replaces="RunningStats.merge", why="merges into self and returns it: the first input changes")
def merge_in_place(self: RunningStats, other: RunningStats) -> RunningStats:
    out = _merge(self, other)
    self.count, self._mean, self._m2 = out.count, out._mean, out._m2
    return self


@pitfall(replaces="central_moments", why="kurtosis m4/m2² without the −3 (not the excess kurtosis)")
def moments_not_excess(x: np.ndarray) -> tuple[float, float, float, float]:
    mean, var, skew, kurt = _moments(x)
    return mean, var, skew, kurt + 3.0


@pitfall(replaces="central_moments", why="normalises the skewness by the ddof=1 standard deviation")
def moments_skew_ddof1(x: np.ndarray) -> tuple[float, float, float, float]:
    mean, var, skew, kurt = _moments(x)
    n = np.asarray(x).size
    if n < 2 or var == 0:
        return mean, var, skew, kurt
    return mean, var, skew * (var / (var * n / (n - 1))) ** 1.5, kurt
