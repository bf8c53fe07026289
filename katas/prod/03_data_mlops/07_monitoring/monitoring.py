"""prod-03-7: monitoring - counters, latency histograms, SLO burn rate. Edit this file; `grader check prod-03-7` tests it."""
from __future__ import annotations

import numpy as np

# (long window s, short window s, burn-rate threshold): the Google SRE workbook's two paging rules
# for a 30-day SLO - 2% of the error budget in 1 hour, or 5% in 6 hours.
PAGE_RULES = ((3600.0, 300.0, 14.4), (21600.0, 1800.0, 6.0))


def counter_increase(times: np.ndarray, values: np.ndarray, now: float, window: float) -> float:
    """Increase of a monotonic counter over the samples with now - window < t <= now, as
    Prometheus' increase() without extrapolation: the sum over consecutive sample pairs of
    (cur - prev), except that a drop (cur < prev) is a restart from 0 and counts cur.

    Shapes:
        times, values: (n,) samples, times strictly increasing; returns: float (0 with < 2 samples)

    Raises:
        ValueError: if the arrays are not 1-D of one length, times are not strictly increasing,
            or window <= 0.
    """
    raise NotImplementedError("counter_increase: sum of deltas in the window, resets count from 0")


class Histogram:
    """A Prometheus-style latency histogram with upper bounds `bounds` and a final +Inf bucket.

    A value v goes into the first bucket whose bound is >= v (buckets are "le"). Attributes:
    bounds (array), bucket_counts (int array, len(bounds) + 1, not cumulative), sum, count.

    Raises (constructor):
        ValueError: if bounds is empty or not strictly increasing.
    """

    def __init__(self, bounds: list[float]) -> None:
        raise NotImplementedError("Histogram.__init__: check bounds, zero the buckets")

    def observe(self, value: float) -> None:
        """Record one value: its bucket, sum and count."""
        raise NotImplementedError("Histogram.observe")

    def cumulative(self) -> np.ndarray:
        """Cumulative counts per bucket, (len(bounds) + 1,): the last one is count."""
        raise NotImplementedError("Histogram.cumulative")

    def quantile(self, q: float) -> float:
        """Estimated q-quantile, as Prometheus' histogram_quantile.

        rank = q * count; take the first bucket i whose cumulative count is >= rank. If that is the
        +Inf bucket return the largest finite bound. Otherwise interpolate linearly inside it:
        lower + (bounds[i] - lower) * (rank - below) / (count in bucket i), with below the cumulative
        count before it and lower the previous bound (for the first bucket: 0, or bounds[0] itself
        if bounds[0] <= 0). nan when nothing was observed.

        Raises:
            ValueError: unless 0 < q <= 1.
        """
        raise NotImplementedError("Histogram.quantile: find the rank's bucket, interpolate inside it")


def burn_rate(times: np.ndarray, is_error: np.ndarray, now: float, window: float, slo: float) -> float:
    """Error-budget burn rate over requests with now - window < t <= now:
    (errors / requests) / (1 - slo); 0.0 when the window has no requests.

    Shapes:
        times: (n,) request times, is_error: (n,) bool; returns: float >= 0

    Raises:
        ValueError: if the arrays are not 1-D of one length, slo is not in (0, 1), or window <= 0.
    """
    raise NotImplementedError("burn_rate: error ratio in the window over the error budget 1 - slo")


def should_page(times: np.ndarray, is_error: np.ndarray, now: float, slo: float = 0.999,
                rules: tuple[tuple[float, float, float], ...] = PAGE_RULES) -> bool:
    """Multi-window burn-rate alert: page when, for some rule (long, short, threshold), the burn
    rate over the long window AND over the short window are both > threshold."""
    raise NotImplementedError("should_page: both windows of some rule above its threshold")
