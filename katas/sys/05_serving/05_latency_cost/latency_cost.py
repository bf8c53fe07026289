"""sys-05-5: latency percentiles and cost per 1k tokens from a serving trace.
Edit this file; `grader check sys-05-5` tests it."""
from __future__ import annotations

import numpy as np


def percentiles(values: np.ndarray, qs: tuple[float, ...] = (50.0, 95.0, 99.0)) -> dict[float, float]:
    """{q: the q-th percentile of values} with linear interpolation between order statistics (numpy's
    default): sort, position q / 100 * (n - 1), interpolate between the two neighbours; computed in
    float64 whatever the dtype of values, returned as Python floats. values is not modified.

    Raises:
        ValueError: if values is not a non-empty 1-D array without NaN, or a q is outside [0, 100].
    """
    raise NotImplementedError("percentiles")


def request_metrics(arrival: np.ndarray, first_token: np.ndarray, finish: np.ndarray, n_output: np.ndarray
                    ) -> dict[str, np.ndarray]:
    """Per request (all arrays (n,), times in seconds), as float64 arrays:
    "ttft" = first_token - arrival (time to first token), "e2e" = finish - arrival, and
    "tpot" = (finish - first_token) / (n_output - 1) (time per output token after the first; NaN for
    requests of one token). Inputs are not modified.

    Raises:
        ValueError: unless arrival <= first_token <= finish and n_output >= 1 for every request.
    """
    raise NotImplementedError("request_metrics")


def tokens_per_second(arrival: np.ndarray, finish: np.ndarray, n_output: np.ndarray) -> float:
    """Output tokens per second over the trace's window, from the first arrival to the last finish.

    Raises:
        ValueError: if that window is not longer than 0.
    """
    raise NotImplementedError("tokens_per_second")


def cost_per_1k_tokens(price_per_gpu_hour: float, n_gpus: int, window_seconds: float, tokens: int) -> float:
    """Dollars per 1000 tokens when n_gpus GPUs, rented at price_per_gpu_hour each, serve `tokens`
    tokens in window_seconds: price * n_gpus * window_seconds / 3600 / tokens * 1000.

    Raises:
        ValueError: if price < 0, n_gpus < 1, window_seconds <= 0 or tokens < 1.
    """
    raise NotImplementedError("cost_per_1k_tokens")
