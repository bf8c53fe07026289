"""Reference solution for sys-05-5."""
from __future__ import annotations

import numpy as np


def percentiles(values: np.ndarray, qs: tuple[float, ...] = (50.0, 95.0, 99.0)) -> dict[float, float]:
    x = np.asarray(values, dtype=np.float64)
    if x.ndim != 1 or x.size == 0 or np.isnan(x).any():
        raise ValueError("need a non-empty 1-D array without NaN")
    if any(not 0 <= q <= 100 for q in qs):
        raise ValueError(f"percentiles must be in [0, 100], got {qs}")
    s = np.sort(x)
    out = {}
    for q in qs:
        pos = q / 100 * (s.size - 1)
        lo = int(np.floor(pos))
        hi = min(lo + 1, s.size - 1)
        out[q] = float(s[lo] + (pos - lo) * (s[hi] - s[lo]))
    return out


def request_metrics(arrival: np.ndarray, first_token: np.ndarray, finish: np.ndarray, n_output: np.ndarray
                    ) -> dict[str, np.ndarray]:
    a, f, e = (np.asarray(t, dtype=np.float64) for t in (arrival, first_token, finish))
    n = np.asarray(n_output)
    if np.any(f < a) or np.any(e < f) or np.any(n < 1):
        raise ValueError("need arrival <= first_token <= finish and n_output >= 1 for every request")
    decode = np.where(n > 1, (e - f) / np.maximum(n - 1, 1), np.nan)
    return {"ttft": f - a, "e2e": e - a, "tpot": decode}


def tokens_per_second(arrival: np.ndarray, finish: np.ndarray, n_output: np.ndarray) -> float:
    window = float(np.max(finish) - np.min(arrival))
    if window <= 0:
        raise ValueError("the trace spans no time")
    return float(np.sum(n_output)) / window


def cost_per_1k_tokens(price_per_gpu_hour: float, n_gpus: int, window_seconds: float, tokens: int) -> float:
    if price_per_gpu_hour < 0 or n_gpus < 1 or window_seconds <= 0 or tokens < 1:
        raise ValueError("need price >= 0, n_gpus >= 1, window_seconds > 0 and tokens >= 1")
    return price_per_gpu_hour * n_gpus * window_seconds / 3600 / tokens * 1000
