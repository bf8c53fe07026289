"""found-03-2: Welford's online mean/variance and sample moments. Edit this file; `grader check found-03-2` tests it."""
from __future__ import annotations

import numpy as np


class RunningStats:
    """Count, mean and variance of a stream in O(1) memory, numerically stable (Welford / Chan et al.).

    Keep three numbers: count n, the running mean, and M2 = Σ (x_i − mean)². Never keep Σx².

    Methods:
        update(x): add one value. Welford: delta = x − mean; mean += delta / n; M2 += delta · (x − new mean).
        update_batch(xs): add every value of the array xs (any shape, may be empty), as if one by one,
            by merging in the batch's own statistics (computed with a two-pass mean and M2).
        merge(other): a NEW RunningStats for the union of both streams (Chan et al.); neither input
            changes. With n = n_a + n_b and δ = mean_b − mean_a: mean = mean_a + δ · n_b / n and
            M2 = M2_a + M2_b + δ² · n_a · n_b / n.
        mean (property): the mean as a float; ValueError when count == 0.
        variance(ddof=1): M2 / (n − ddof); ValueError when n <= ddof.

    Attributes:
        count: the number of values seen (an int).
    """

    def __init__(self) -> None:
        self.count = 0
        self._mean = 0.0
        self._m2 = 0.0

    def update(self, x: float) -> None:
        raise NotImplementedError("RunningStats.update: Welford's update of count, mean and M2")

    def update_batch(self, xs: np.ndarray) -> None:
        raise NotImplementedError("RunningStats.update_batch: merge in the batch's statistics")

    def merge(self, other: RunningStats) -> RunningStats:
        raise NotImplementedError("RunningStats.merge: Chan et al.'s pairwise combination")

    @property
    def mean(self) -> float:
        raise NotImplementedError("RunningStats.mean: the running mean (ValueError if empty)")

    def variance(self, ddof: int = 1) -> float:
        raise NotImplementedError("RunningStats.variance: M2 / (n - ddof)")


def central_moments(x: np.ndarray) -> tuple[float, float, float, float]:
    """Mean, variance (ddof=0), skewness and excess kurtosis of a sample, two-pass.

    With d = x − mean and m_k = mean(d^k): variance = m2, skewness = m3 / m2^1.5, excess kurtosis =
    m4 / m2² − 3 (scipy.stats.skew and kurtosis with their defaults). A constant sample has
    variance 0.0 and NaN skewness and kurtosis. x is left unchanged.

    Shapes:
        x: any shape, at least one value
        returns: four floats

    Raises:
        ValueError: if x is empty.
    """
    raise NotImplementedError("central_moments: centre first, then average the powers")
