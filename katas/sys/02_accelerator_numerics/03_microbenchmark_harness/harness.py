"""sys-02-3: a microbenchmark harness: warm-up, percentiles, bandwidth and FLOP/s. Edit this file;
`grader check sys-02-3` tests it on synthetic timings; `pytest --run-benchmarks` uses it for real."""
from __future__ import annotations

import time
from collections.abc import Callable

import numpy as np


def time_calls(fn: Callable[[], object], warmup: int = 3, repeats: int = 10,
               timer: Callable[[], float] = time.perf_counter) -> np.ndarray:
    """Call fn() warmup times untimed (caches, lazy compilation, allocator), then repeats times timed.

    Each timed call reads the timer once just before and once just after it: timings[i] = after - before.
    The timer is never read during warm-up, so it is read exactly 2 * repeats times.

    Shapes:
        returns: (repeats,) float64 seconds

    Raises:
        ValueError: if warmup < 0 or repeats < 1.
    """
    raise NotImplementedError("time_calls: warm-up calls, then timed calls between two timer reads")


def summarize(times: np.ndarray) -> dict[str, float]:
    """Statistics of a sample of timings (seconds, any float dtype), as float64 floats.

    Keys: "n" (sample size), "min", "mean", "median", "p90", "p99" (numpy.percentile's default linear
    interpolation), "std" (sample standard deviation, ddof = 1; 0.0 for one sample). times is not modified.

    Raises:
        ValueError: if times is empty, not 1-D, or has a negative or non-finite entry.
    """
    raise NotImplementedError("summarize: min, mean, percentiles, sample std")


def bandwidth_gb_per_s(bytes_moved: float, seconds: float) -> float:
    """Achieved bandwidth in GB/s (10**9 bytes per second, as datasheets quote it).

    Raises:
        ValueError: if seconds <= 0 or bytes_moved < 0.
    """
    raise NotImplementedError("bandwidth_gb_per_s")


def tflop_per_s(flops: float, seconds: float) -> float:
    """Achieved throughput in TFLOP/s (10**12 FLOP per second).

    Raises:
        ValueError: if seconds <= 0 or flops < 0.
    """
    raise NotImplementedError("tflop_per_s")
