"""Plausible wrong versions of the trace analysis that the tests must reject."""
from __future__ import annotations

import math

import numpy as np

from grader.pitfalls import pitfall


@pitfall(replaces="percentiles", why="nearest rank (ceil(q/100 * n)-th value) instead of linear interpolation")
def nearest_rank(values: np.ndarray, qs: tuple[float, ...] = (50.0, 95.0, 99.0)) -> dict[float, float]:
    x = np.asarray(values, dtype=np.float64)
    if x.ndim != 1 or x.size == 0 or np.isnan(x).any() or any(not 0 <= q <= 100 for q in qs):
        raise ValueError("bad input")
    s = np.sort(x)
    return {q: float(s[max(math.ceil(q / 100 * s.size) - 1, 0)]) for q in qs}


@pitfall(replaces="percentiles", why="position q/100 * n instead of q/100 * (n - 1)")
def position_times_n(values: np.ndarray, qs: tuple[float, ...] = (50.0, 95.0, 99.0)) -> dict[float, float]:
    x = np.asarray(values, dtype=np.float64)
    if x.ndim != 1 or x.size == 0 or np.isnan(x).any() or any(not 0 <= q <= 100 for q in qs):
        raise ValueError("bad input")
    s = np.sort(x)
    out = {}
    for q in qs:
        pos = min(q / 100 * s.size, s.size - 1)
        lo = int(np.floor(pos))
        hi = min(lo + 1, s.size - 1)
        out[q] = float(s[lo] + (pos - lo) * (s[hi] - s[lo]))
    return out


@pitfall(replaces="request_metrics", why="time per output token divides by n_output, counting the first token's decode")
def tpot_over_n(arrival: np.ndarray, first_token: np.ndarray, finish: np.ndarray, n_output: np.ndarray
                ) -> dict[str, np.ndarray]:
    a, f, e = (np.asarray(t, dtype=np.float64) for t in (arrival, first_token, finish))
    n = np.asarray(n_output)
    if np.any(f < a) or np.any(e < f) or np.any(n < 1):
        raise ValueError("impossible trace")
    return {"ttft": f - a, "e2e": e - a, "tpot": np.where(n > 1, (e - f) / n, np.nan)}


@pitfall(replaces="tokens_per_second", why="divides by the sum of request durations, not the wall-clock window")
def per_request_time(arrival: np.ndarray, finish: np.ndarray, n_output: np.ndarray) -> float:
    busy = float(np.sum(np.asarray(finish) - np.asarray(arrival)))
    if busy <= 0:
        raise ValueError("no time")
    return float(np.sum(n_output)) / busy


@pitfall(replaces="cost_per_1k_tokens", why="forgets the number of GPUs")
def one_gpu(price_per_gpu_hour: float, n_gpus: int, window_seconds: float, tokens: int) -> float:
    if price_per_gpu_hour < 0 or n_gpus < 1 or window_seconds <= 0 or tokens < 1:
        raise ValueError("bad arguments")
    return price_per_gpu_hour * window_seconds / 3600 / tokens * 1000
