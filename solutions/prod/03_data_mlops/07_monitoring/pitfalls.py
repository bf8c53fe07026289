"""Plausible wrong monitoring code that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from monitoring import PAGE_RULES, Histogram, burn_rate


def _window(times: np.ndarray, values: np.ndarray, window: float) -> tuple[np.ndarray, np.ndarray]:
    t, v = np.asarray(times), np.asarray(values)
    if t.ndim != 1 or t.shape != v.shape or np.any(np.diff(t) <= 0) or window <= 0:
        raise ValueError("bad inputs")
    return t, v


@pitfall(replaces="counter_increase", why="last - first: a restart makes the increase small or negative")
def last_minus_first(times: np.ndarray, values: np.ndarray, now: float, window: float) -> float:
    t, v = _window(times, values, window)
    w = v[(t > now - window) & (t <= now)]
    return float(w[-1] - w[0]) if w.size >= 2 else 0.0


@pitfall(replaces="counter_increase", why="the window includes its left edge: now - window <= t")
def closed_window(times: np.ndarray, values: np.ndarray, now: float, window: float) -> float:
    t, v = _window(times, values, window)
    w = v[(t >= now - window) & (t <= now)]
    return float(sum(b - a if b >= a else b for a, b in zip(w[:-1], w[1:], strict=True)))


@pitfall(replaces="Histogram.observe", why="a value equal to a bound goes into the next bucket (lt instead of le)")
def observe_lt(self: Histogram, value: float) -> None:
    self.bucket_counts[np.searchsorted(self.bounds, value, side="right")] += 1
    self.sum += value
    self.count += 1


@pitfall(replaces="Histogram.quantile", why="returns the upper bound of the rank's bucket, without interpolating")
def bucket_upper_bound(self: Histogram, q: float) -> float:
    if not 0 < q <= 1:
        raise ValueError("bad q")
    if self.count == 0:
        return float("nan")
    i = int(np.searchsorted(self.cumulative(), q * self.count, side="left"))
    return float(self.bounds[min(i, self.bounds.size - 1)])


@pitfall(replaces="burn_rate", why="reports the error ratio itself, not divided by the error budget 1 - slo")
def error_ratio(times: np.ndarray, is_error: np.ndarray, now: float, window: float, slo: float) -> float:
    t, e = np.asarray(times), np.asarray(is_error, dtype=bool)
    if t.ndim != 1 or t.shape != e.shape or not 0 < slo < 1 or window <= 0:
        raise ValueError("bad inputs")
    keep = (t > now - window) & (t <= now)
    return float(e[keep].mean()) if keep.any() else 0.0


@pitfall(replaces="should_page", why="pages when either window is over the threshold: keeps paging after the outage ended")
def either_window(times: np.ndarray, is_error: np.ndarray, now: float, slo: float = 0.999,
                  rules: tuple[tuple[float, float, float], ...] = PAGE_RULES) -> bool:
    return any(burn_rate(times, is_error, now, long, slo) > th or burn_rate(times, is_error, now, short, slo) > th
               for long, short, th in rules)


@pitfall(replaces="should_page", why="only the first (fast) rule: a slow steady burn never pages")
def fast_rule_only(times: np.ndarray, is_error: np.ndarray, now: float, slo: float = 0.999,
                   rules: tuple[tuple[float, float, float], ...] = PAGE_RULES) -> bool:
    long, short, th = rules[0]
    return burn_rate(times, is_error, now, long, slo) > th and burn_rate(times, is_error, now, short, slo) > th
