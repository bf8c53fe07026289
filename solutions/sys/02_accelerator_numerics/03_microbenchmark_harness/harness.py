"""Reference solution for sys-02-3."""
from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np


def time_calls(fn: Callable[[], object], warmup: int = 3, repeats: int = 10,
               timer: Callable[[], float] = time.perf_counter) -> np.ndarray:
    if warmup < 0 or repeats < 1:
        raise ValueError(f"need warmup >= 0 and repeats >= 1, got {warmup}, {repeats}")
    for _ in range(warmup):
        fn()
    out = np.empty(repeats)
    for i in range(repeats):
        t0 = timer()
        fn()
        out[i] = timer() - t0
    return out


def summarize(times: np.ndarray) -> dict[str, float]:
    t = np.asarray(times, dtype=np.float64)
    if t.ndim != 1 or t.size == 0 or np.any(t < 0) or not np.all(np.isfinite(t)):
        raise ValueError("times must be a non-empty 1-D array of finite, non-negative seconds")
    p50, p90, p99 = np.percentile(t, [50, 90, 99])
    return {"n": float(t.size), "min": float(t.min()), "mean": float(t.mean()), "median": float(p50),
            "p90": float(p90), "p99": float(p99), "std": float(t.std(ddof=1)) if t.size > 1 else 0.0}


def bandwidth_gb_per_s(bytes_moved: float, seconds: float) -> float:
    if seconds <= 0 or bytes_moved < 0:
        raise ValueError("need seconds > 0 and bytes_moved >= 0")
    return bytes_moved / seconds / 1e9


def tflop_per_s(flops: float, seconds: float) -> float:
    if seconds <= 0 or flops < 0:
        raise ValueError("need seconds > 0 and flops >= 0")
    return flops / seconds / 1e12
