"""Plausible wrong versions of the microbenchmark harness that the tests must reject."""
from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np

from grader.pitfalls import pitfall


@pitfall(replaces="time_calls", why="times the warm-up calls too (and returns them): the first, cold calls skew every statistic")
def times_warmup(fn: Callable[[], object], warmup: int = 3, repeats: int = 10,
                 timer: Callable[[], float] = time.perf_counter) -> np.ndarray:
    if warmup < 0 or repeats < 1:
        raise ValueError("bad")
    out = []
    for _ in range(warmup + repeats):
        t0 = timer()
        fn()
        out.append(timer() - t0)
    return np.array(out[warmup:])


@pitfall(replaces="time_calls", why="reads the clock once per call and differences consecutive reads (includes the loop overhead, one read short)")
def one_read_per_call(fn: Callable[[], object], warmup: int = 3, repeats: int = 10,
                      timer: Callable[[], float] = time.perf_counter) -> np.ndarray:
    if warmup < 0 or repeats < 1:
        raise ValueError("bad")
    for _ in range(warmup):
        fn()
    reads = [timer()]
    for _ in range(repeats):
        fn()
        reads.append(timer())
    return np.diff(np.array(reads))


@pitfall(replaces="summarize", why="p99 as sorted(t)[int(0.99 n)] (nearest rank), not numpy's interpolated percentile")
def nearest_rank_percentiles(times: np.ndarray) -> dict[str, float]:
    t = np.asarray(times, dtype=np.float64)
    if t.ndim != 1 or t.size == 0 or np.any(t < 0) or not np.all(np.isfinite(t)):
        raise ValueError("bad")
    s = np.sort(t)
    def rank(q: float) -> float:
        return float(s[min(int(q * t.size), t.size - 1)])
    return {"n": float(t.size), "min": float(s[0]), "mean": float(t.mean()), "median": float(np.median(t)),
            "p90": rank(0.9), "p99": rank(0.99), "std": float(t.std(ddof=1)) if t.size > 1 else 0.0}


@pitfall(replaces="summarize", why="population standard deviation (ddof = 0) for a sample of timings")
def population_std(times: np.ndarray) -> dict[str, float]:
    t = np.asarray(times, dtype=np.float64)
    if t.ndim != 1 or t.size == 0 or np.any(t < 0) or not np.all(np.isfinite(t)):
        raise ValueError("bad")
    p50, p90, p99 = np.percentile(t, [50, 90, 99])
    return {"n": float(t.size), "min": float(t.min()), "mean": float(t.mean()), "median": float(p50),
            "p90": float(p90), "p99": float(p99), "std": float(t.std())}


@pitfall(replaces="bandwidth_gb_per_s", why="GiB/s (2**30) instead of the GB/s (1e9) that datasheets quote")
def gibibytes(bytes_moved: float, seconds: float) -> float:
    if seconds <= 0 or bytes_moved < 0:
        raise ValueError("bad")
    return bytes_moved / seconds / 2**30
