"""Reference solution for nlp-48-2."""
from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn


@dataclass
class Runner:
    """One framework, ready to run: `run(input_ids) -> logits`, and the engine object behind it
    (the torch.nn.Module, the onnxruntime.InferenceSession or the openvino.CompiledModel)."""
    name: str
    run: Callable[[np.ndarray], np.ndarray]
    engine: object


def latency_stats(timings_s: Sequence[float], warmup: int = 0) -> dict[str, float]:
    if warmup < 0:
        raise ValueError(f"warmup must be >= 0, got {warmup}")
    kept = np.asarray(timings_s, dtype=np.float64)[warmup:] * 1e3
    if kept.size == 0:
        raise ValueError(f"no timing left after dropping {warmup} warm-up runs of {len(timings_s)}")
    p50, p90, p99 = np.percentile(kept, [50, 90, 99])
    return {"n": int(kept.size), "mean_ms": float(kept.mean()), "std_ms": float(kept.std()),
            "min_ms": float(kept.min()), "p50_ms": float(p50), "p90_ms": float(p90), "p99_ms": float(p99)}


def time_calls(fn: Callable[[], object], n_runs: int, warmup: int = 1,
               clock: Callable[[], float] = time.perf_counter) -> list[float]:
    if n_runs < 1 or warmup < 0:
        raise ValueError(f"need n_runs >= 1 and warmup >= 0, got {n_runs=}, {warmup=}")
    for _ in range(warmup):
        fn()
    timings = []
    for _ in range(n_runs):
        start = clock()
        fn()
        timings.append(clock() - start)
    return timings


def make_runners(model: nn.Module, onnx_model: bytes, *, threads: int = 1) -> dict[str, Runner]:
    import onnxruntime as ort
    import openvino as ov

    def run_torch(input_ids: np.ndarray) -> np.ndarray:
        before = torch.get_num_threads()
        torch.set_num_threads(threads)
        try:
            with torch.inference_mode():
                return model(torch.as_tensor(input_ids, dtype=torch.long)).numpy()
        finally:
            torch.set_num_threads(before)

    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.intra_op_num_threads = threads
    session = ort.InferenceSession(onnx_model, options, providers=["CPUExecutionProvider"])

    def run_ort(input_ids: np.ndarray) -> np.ndarray:
        return session.run(["logits"], {"input_ids": np.asarray(input_ids, dtype=np.int64)})[0]

    core = ov.Core()
    compiled = core.compile_model(core.read_model(onnx_model, b""), "CPU",
                                  {"INFERENCE_NUM_THREADS": threads, "INFERENCE_PRECISION_HINT": "f32"})

    def run_ov(input_ids: np.ndarray) -> np.ndarray:
        return np.asarray(compiled({"input_ids": np.asarray(input_ids, dtype=np.int64)})["logits"])

    return {"pytorch": Runner("pytorch", run_torch, model),
            "onnxruntime": Runner("onnxruntime", run_ort, session),
            "openvino": Runner("openvino", run_ov, compiled)}


def profile(runners: dict[str, Runner], input_ids: np.ndarray, *, n_runs: int, warmup: int = 1,
            clock: Callable[[], float] = time.perf_counter) -> dict[str, dict[str, float]]:
    report = {}
    for name, runner in runners.items():
        timings = time_calls(lambda runner=runner: runner.run(input_ids), n_runs, warmup, clock)
        stats = latency_stats(timings)
        stats["tokens_per_s"] = input_ids.size / (stats["mean_ms"] / 1e3)
        report[name] = stats
    return report
