"""nlp-48-2: profile latency across frameworks. Edit this file; `grader check nlp-48-2` tests it."""
from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from torch import nn


@dataclass
class Runner:
    """One framework, ready to run: `run(input_ids) -> logits`, and the engine object behind it
    (the torch.nn.Module, the onnxruntime.InferenceSession or the openvino.CompiledModel)."""
    name: str
    run: Callable[[np.ndarray], np.ndarray]
    engine: object


def latency_stats(timings_s: Sequence[float], warmup: int = 0) -> dict[str, float]:
    """Summary statistics of per-call latencies, in milliseconds, after dropping the first `warmup`.

    Returns the keys "n" (number of timings kept), "mean_ms", "std_ms" (population standard
    deviation, ddof=0), "min_ms", "p50_ms", "p90_ms", "p99_ms" (percentiles by linear interpolation
    between order statistics: numpy's default `np.percentile` method), all computed in float64 (also
    from a float32 array). `timings_s` is left unchanged.

    Shapes:
        timings_s: (n_total,) seconds, a list or 1-D array

    Raises:
        ValueError: if warmup < 0 or no timing is left after dropping `warmup`.
    """
    raise NotImplementedError("latency_stats: drop the warm-up timings, convert to ms, summarise")


def time_calls(fn: Callable[[], object], n_runs: int, warmup: int = 1,
               clock: Callable[[], float] = time.perf_counter) -> list[float]:
    """Call `fn()` `warmup` times untimed, then `n_runs` times, each timed with `clock` (seconds).

    Returns the `n_runs` durations `clock()` after the call minus `clock()` before it, in call order.

    Raises:
        ValueError: if n_runs < 1 or warmup < 0.
    """
    raise NotImplementedError("time_calls: warm up, then read the clock around each call")


def make_runners(model: nn.Module, onnx_model: bytes, *, threads: int = 1) -> dict[str, Runner]:
    """The same token-id -> logits model in three frameworks, each limited to `threads` threads.

    Returns {"pytorch": ..., "onnxruntime": ..., "openvino": ...} in that order, each Runner named by its
    key, each `run(input_ids)` returning float32 logits as a numpy array (within 1e-4 of the model's):
      - "pytorch": `model` under `torch.inference_mode()`, with `torch.set_num_threads(threads)` for the
        duration of the call (the caller's thread count is restored afterwards); engine = model.
      - "onnxruntime": a CPU InferenceSession of `onnx_model` built once, all graph optimizations
        (ORT_ENABLE_ALL), intra_op_num_threads = threads; engine = the session.
      - "openvino": `onnx_model` compiled once for "CPU" with INFERENCE_NUM_THREADS = threads and
        INFERENCE_PRECISION_HINT = "f32"; engine = the compiled model.
    `onnx_model` has one int64 input "input_ids" (batch, seq) and one output "logits".

    Shapes:
        run(input_ids): (batch, seq) int64 -> (batch, seq, vocab) float32
    """
    raise NotImplementedError("make_runners: build each engine once, wrap its call in a Runner")


def profile(runners: dict[str, Runner], input_ids: np.ndarray, *, n_runs: int, warmup: int = 1,
            clock: Callable[[], float] = time.perf_counter) -> dict[str, dict[str, float]]:
    """Latency of each runner on `input_ids`: runner by runner, in the order given, `warmup` untimed
    calls then `n_runs` timed calls (`time_calls`), summarised by `latency_stats`, plus
    "tokens_per_s" = input_ids.size / mean latency in seconds. `input_ids` is left unchanged.

    Shapes:
        input_ids: (batch, seq) int64
    """
    raise NotImplementedError("profile: time_calls + latency_stats per runner")
