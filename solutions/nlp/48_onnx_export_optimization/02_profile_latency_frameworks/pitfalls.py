"""Plausible wrong versions of the nlp-48-2 functions that the tests must reject."""
from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import numpy as np
import torch
from torch import nn

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from latency_profile import Runner, latency_stats, make_runners, time_calls


def _stats(kept_ms: np.ndarray, ddof: int = 0, method: str = "linear") -> dict[str, float]:
    p50, p90, p99 = np.percentile(kept_ms, [50, 90, 99], method=method)
    return {"n": int(kept_ms.size), "mean_ms": float(kept_ms.mean()),
            "std_ms": float(kept_ms.std(ddof=ddof)) if kept_ms.size > ddof else 0.0,
            "min_ms": float(kept_ms.min()), "p50_ms": float(p50), "p90_ms": float(p90), "p99_ms": float(p99)}


def _kept(timings_s: Sequence[float], warmup: int) -> np.ndarray:
    if warmup < 0 or warmup >= len(timings_s):
        raise ValueError("bad warmup")
    return np.asarray(timings_s, dtype=np.float64)[warmup:]


@pitfall(replaces="latency_stats", why="reports seconds under the _ms keys: forgets the factor 1000")
def seconds_not_ms(timings_s: Sequence[float], warmup: int = 0) -> dict[str, float]:
    return _stats(_kept(timings_s, warmup))


@pitfall(replaces="latency_stats", why="sample standard deviation (ddof=1) where the docstring asks for ddof=0")
def sample_std(timings_s: Sequence[float], warmup: int = 0) -> dict[str, float]:
    return _stats(_kept(timings_s, warmup) * 1e3, ddof=1)


@pitfall(replaces="latency_stats", why="nearest-rank percentiles (sorted[int(q * n)]) instead of linear interpolation")
def nearest_rank(timings_s: Sequence[float], warmup: int = 0) -> dict[str, float]:
    ms = np.sort(_kept(timings_s, warmup) * 1e3)
    out = _stats(ms)
    for key, q in (("p50_ms", 0.5), ("p90_ms", 0.9), ("p99_ms", 0.99)):
        out[key] = float(ms[min(int(q * ms.size), ms.size - 1)])
    return out


@pitfall(replaces="latency_stats", why="drops the warm-up runs from the end of the list instead of the start")
def drops_from_the_end(timings_s: Sequence[float], warmup: int = 0) -> dict[str, float]:
    _kept(timings_s, warmup)
    x = np.asarray(timings_s, dtype=np.float64)
    return _stats(x[: len(x) - warmup] * 1e3)


@pitfall(replaces="time_calls", why="times the warm-up calls too: compilation and first-call allocation pollute the statistics")
def times_warmup(fn: Callable[[], object], n_runs: int, warmup: int = 1,
                 clock: Callable[[], float] = time.perf_counter) -> list[float]:
    if n_runs < 1 or warmup < 0:
        raise ValueError("bad counts")
    timings = []
    for _ in range(warmup + n_runs):
        start = clock()
        fn()
        timings.append(clock() - start)
    return timings[-n_runs:] if warmup == 0 else timings[:n_runs]


@pitfall(replaces="time_calls", why="times the whole loop once and divides: every call gets the mean, percentiles are lost")
def loop_average(fn: Callable[[], object], n_runs: int, warmup: int = 1,
                 clock: Callable[[], float] = time.perf_counter) -> list[float]:
    if n_runs < 1 or warmup < 0:
        raise ValueError("bad counts")
    for _ in range(warmup):
        fn()
    start = clock()
    for _ in range(n_runs):
        fn()
    return [(clock() - start) / n_runs] * n_runs


@pitfall(replaces="profile", why="warms up once before the first runner only: the other runners' first calls are timed")
def shared_warmup(runners: dict[str, Runner], input_ids: np.ndarray, *, n_runs: int, warmup: int = 1,
                  clock: Callable[[], float] = time.perf_counter) -> dict[str, dict[str, float]]:
    report = {}
    for i, (name, runner) in enumerate(runners.items()):
        timings = time_calls(lambda runner=runner: runner.run(input_ids), n_runs, warmup if i == 0 else 0, clock)
        if i > 0 and warmup:
            timings += time_calls(lambda runner=runner: runner.run(input_ids), warmup, 0, clock)
        stats = latency_stats(timings[:n_runs])
        stats["tokens_per_s"] = input_ids.size / (stats["mean_ms"] / 1e3)
        report[name] = stats
    return report


@pitfall(replaces="profile", why="throughput counts sequences (batch) instead of tokens (batch x seq)")
def sequences_per_s(runners: dict[str, Runner], input_ids: np.ndarray, *, n_runs: int, warmup: int = 1,
                    clock: Callable[[], float] = time.perf_counter) -> dict[str, dict[str, float]]:
    report = {}
    for name, runner in runners.items():
        stats = latency_stats(time_calls(lambda runner=runner: runner.run(input_ids), n_runs, warmup, clock))
        stats["tokens_per_s"] = input_ids.shape[0] / (stats["mean_ms"] / 1e3)
        report[name] = stats
    return report


@pitfall(replaces="make_runners", why="leaves intra_op_num_threads at 0: ONNX Runtime uses every core while the others get `threads`")
def ort_all_cores(model: nn.Module, onnx_model: bytes, *, threads: int = 1) -> dict[str, Runner]:
    import onnxruntime as ort

    runners = make_runners(model, onnx_model, threads=threads)
    session = ort.InferenceSession(onnx_model, providers=["CPUExecutionProvider"])
    runners["onnxruntime"] = Runner("onnxruntime", lambda ids: session.run(
        ["logits"], {"input_ids": np.asarray(ids, dtype=np.int64)})[0], session)
    return runners


@pitfall(replaces="make_runners", why="PyTorch under no_grad instead of inference_mode: autograd's version counters stay on")
def no_grad_not_inference_mode(model: nn.Module, onnx_model: bytes, *, threads: int = 1) -> dict[str, Runner]:
    runners = make_runners(model, onnx_model, threads=threads)

    def run_torch(input_ids: np.ndarray) -> np.ndarray:
        before = torch.get_num_threads()
        torch.set_num_threads(threads)
        try:
            with torch.no_grad():
                return model(torch.as_tensor(input_ids, dtype=torch.long)).numpy()
        finally:
            torch.set_num_threads(before)

    runners["pytorch"] = Runner("pytorch", run_torch, model)
    return runners


@pitfall(replaces="make_runners", why="sets torch's (process-global) thread count and never restores the caller's")
def leaks_thread_count(model: nn.Module, onnx_model: bytes, *, threads: int = 1) -> dict[str, Runner]:
    runners = make_runners(model, onnx_model, threads=threads)

    def run_torch(input_ids: np.ndarray) -> np.ndarray:
        torch.set_num_threads(threads)
        with torch.inference_mode():
            return model(torch.as_tensor(input_ids, dtype=torch.long)).numpy()

    runners["pytorch"] = Runner("pytorch", run_torch, model)
    return runners
