"""Tests for nlp-48-2, profiling latency across PyTorch, ONNX Runtime and OpenVINO.

No test here asserts on a real timing. References: numpy's mean/std/percentile on the timings the
test itself hands over; a fake clock that the timed function advances by known amounts (so every
duration, and which calls were warm-up, is known exactly); the engines' own reports of how they were
configured (session options, compiled-model properties) and PyTorch's logits. Real timings are printed
by the benchmark test (`pytest --run-benchmarks`).
"""
import io
import warnings

import numpy as np
import onnxruntime as ort
import openvino as ov
import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st
from torch import nn

from grader import lm
from grader.strategies import dims, seeds
from grader.testing import assert_close, assert_equal, assert_shape, call_unmodified, describe_call, smoke

VOCAB = 65
# Durations are multiples of 1/1024 s: sums and differences of them are exact in float64, so a fake
# clock's readings subtract back to exactly the duration that was spent.
DURATIONS = st.integers(1, 4096).map(lambda k: k / 1024)
TIMINGS = st.lists(st.floats(2.0**-20, 2.0, allow_nan=False, width=32), min_size=1, max_size=40)
STAT_KEYS = {"n", "mean_ms", "std_ms", "min_ms", "p50_ms", "p90_ms", "p99_ms"}


def numpy_stats(kept_s: np.ndarray) -> dict[str, float]:
    ms = np.asarray(kept_s, dtype=np.float64) * 1e3
    return {"n": len(ms), "mean_ms": ms.mean(), "std_ms": ms.std(ddof=0), "min_ms": ms.min(),
            "p50_ms": np.percentile(ms, 50), "p90_ms": np.percentile(ms, 90), "p99_ms": np.percentile(ms, 99)}


def check_stats(got: dict, want: dict, call: str) -> None:
    assert STAT_KEYS <= set(got), f"{call} returned keys {sorted(got)}, expected at least {sorted(STAT_KEYS)}"
    assert_equal(got["n"], want["n"], name="n (timings kept after the warm-up)", call=call)
    for key in sorted(STAT_KEYS - {"n"}):
        # float64 statistics of the same numbers: only summation order may differ.
        assert_close(got[key], want[key], rtol=1e-9, atol=1e-12, name=key, call=call)


class FakeClock:
    """A clock that only moves when the code under test 'works': `spend(d)` advances it by d seconds."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.reads = 0

    def __call__(self) -> float:
        self.reads += 1
        return self.now

    def spend(self, seconds: float) -> None:
        self.now += seconds


class ScriptedWork:
    """A function whose i-th call takes durations[i] seconds on a FakeClock."""

    def __init__(self, clock: FakeClock, durations: list[float]) -> None:
        self.clock, self.durations, self.calls = clock, durations, 0

    def __call__(self, *args: object) -> np.ndarray:
        self.clock.spend(self.durations[self.calls])
        self.calls += 1
        return np.zeros(1, dtype=np.float32)


# ----------------------------------------------------------------------------- latency_stats


@given(timings=TIMINGS, data=st.data(), as_array=st.sampled_from([None, "float64", "float32"]))
@example(timings=[0.25], data=None, as_array=None)                         # one timing: std 0, every percentile = it
@example(timings=[0.5, 0.125, 0.125, 0.125], data=None, as_array="float64")  # a slow first call, then ties
@example(timings=[0.001 * k for k in range(1, 11)], data=None, as_array="float32")  # p90 between order statistics
def test_latency_stats_matches_numpy(kata, timings, data, as_array):
    warmup = data.draw(st.integers(0, len(timings) - 1), label="warmup") if data is not None else (
        1 if len(timings) == 4 else 0)
    # TIMINGS are float32 values, so a float32 array holds exactly the same numbers as the list.
    x = list(timings) if as_array is None else np.asarray(timings, dtype=as_array)
    call = describe_call("latency_stats", x, warmup=warmup)
    got = call_unmodified(kata.latency_stats, x, warmup=warmup)
    check_stats(got, numpy_stats(np.asarray(x, dtype=np.float64)[warmup:]), call)


@given(timings=TIMINGS)
def test_latency_stats_default_keeps_every_timing(kata, timings):
    call = describe_call("latency_stats", timings)
    check_stats(kata.latency_stats(timings), numpy_stats(np.asarray(timings)), call)


@given(n=st.integers(1, 6), extra=st.integers(0, 3))
@example(n=1, extra=0)   # warmup == len: nothing left
def test_latency_stats_rejects_nothing_left(kata, n, extra):
    with pytest.raises(ValueError):
        kata.latency_stats([0.01] * n, warmup=n + extra)
        pytest.fail(f"latency_stats({n} timings, warmup={n + extra}) returned instead of raising ValueError")


@given(warmup=st.integers(-3, -1))
@example(warmup=-1)
def test_latency_stats_rejects_negative_warmup(kata, warmup):
    with pytest.raises(ValueError):
        kata.latency_stats([0.01, 0.02, 0.03], warmup=warmup)
        pytest.fail(f"latency_stats(3 timings, warmup={warmup}) returned instead of raising ValueError")


# ----------------------------------------------------------------------------- time_calls


@given(durations=st.lists(DURATIONS, min_size=1, max_size=12), data=st.data())
@example(durations=[4.0, 0.5], data=None)           # a 4 s first call (compilation) must not be timed
@example(durations=[0.25, 0.5, 0.75], data=None)
def test_time_calls_times_each_call_after_the_warmup(kata, durations, data):
    if data is None:
        warmup = 1 if durations[0] == 4.0 else 0
    else:
        warmup = data.draw(st.integers(0, len(durations) - 1), label="warmup")
    n_runs = len(durations) - warmup
    clock = FakeClock()
    work = ScriptedWork(clock, durations)
    call = describe_call("time_calls", work, n_runs, warmup=warmup, clock=clock)
    got = kata.time_calls(work, n_runs, warmup=warmup, clock=clock)
    assert_equal(work.calls, warmup + n_runs, name="number of calls of fn (warm-up + timed)", call=call)
    assert isinstance(got, list), f"{call} returned {type(got).__name__}, expected a list"
    assert_equal(np.asarray(got, dtype=np.float64), np.asarray(durations[warmup:]),
                 name="durations (the warm-up calls excluded)", call=call)


@given(durations=st.lists(DURATIONS, min_size=2, max_size=6))
def test_time_calls_default_warmup_is_one(kata, durations):
    clock = FakeClock()
    work = ScriptedWork(clock, durations)
    call = describe_call("time_calls", work, len(durations) - 1, clock=clock)
    got = kata.time_calls(work, len(durations) - 1, clock=clock)
    assert_equal(np.asarray(got, dtype=np.float64), np.asarray(durations[1:]),
                 name="durations (default warmup=1: the first call is not timed)", call=call)


def test_time_calls_default_clock_is_perf_counter(kata):
    """With no clock given, the durations are real seconds: a call that sleeps 20 ms takes >= 20 ms."""
    import time

    got = kata.time_calls(lambda: time.sleep(0.02), 2, warmup=0)
    assert len(got) == 2 and min(got) >= 0.019, f"time_calls(sleep 20 ms, 2, warmup=0) returned {got}"


@given(n_runs=st.integers(-2, 0), warmup=st.integers(-2, 2))
@example(n_runs=0, warmup=1)
@example(n_runs=1, warmup=-1)
def test_time_calls_rejects_bad_counts(kata, n_runs, warmup):
    if n_runs == 1:
        assert warmup < 0
    with pytest.raises(ValueError):
        kata.time_calls(lambda: None, n_runs, warmup=warmup, clock=FakeClock())
        pytest.fail(f"time_calls(fn, {n_runs}, warmup={warmup}) returned instead of raising ValueError")


# ----------------------------------------------------------------------------- profile


@given(per_runner=st.lists(st.lists(DURATIONS, min_size=5, max_size=5), min_size=1, max_size=3),
       warmup=st.integers(0, 2), batch=dims(1, 3), seq=dims(1, 8))
@example(per_runner=[[8.0, 0.25, 0.5, 0.25, 1.0], [0.125] * 5], warmup=1, batch=2, seq=8)
@example(per_runner=[[0.5, 0.25, 0.5, 0.25, 1.0]], warmup=0, batch=1, seq=1)
def test_profile_times_each_runner_after_its_warmup(kata, per_runner, warmup, batch, seq):
    clock = FakeClock()
    names = ["pytorch", "onnxruntime", "openvino"][: len(per_runner)]
    works = [ScriptedWork(clock, d) for d in per_runner]
    runners = {name: kata.Runner(name, work, None) for name, work in zip(names, works, strict=True)}
    n_runs = 5 - warmup
    ids = np.zeros((batch, seq), dtype=np.int64)
    call = describe_call("profile", runners, ids, n_runs=n_runs, warmup=warmup, clock=clock)
    got = call_unmodified(kata.profile, runners, ids, n_runs=n_runs, warmup=warmup, clock=clock)
    assert list(got) == names, f"{call} returned rows {list(got)}, expected {names}"
    for name, work, durations in zip(names, works, per_runner, strict=True):
        assert_equal(work.calls, 5, name=f"calls of runner {name!r}", call=call)
        want = numpy_stats(np.asarray(durations[warmup:]))
        check_stats(got[name], want, f"{call}[{name!r}]")
        assert_close(got[name]["tokens_per_s"], batch * seq / (want["mean_ms"] / 1e3), rtol=1e-9, atol=0,
                     name=f"{name}.tokens_per_s (input_ids.size / mean seconds)", call=call)


@given(durations=st.lists(DURATIONS, min_size=3, max_size=3))
def test_profile_default_warmup_is_one(kata, durations):
    clock = FakeClock()
    runners = {"pytorch": kata.Runner("pytorch", ScriptedWork(clock, durations), None)}
    call = describe_call("profile", runners, "ids", n_runs=2, clock=clock)
    got = kata.profile(runners, np.zeros((1, 4), dtype=np.int64), n_runs=2, clock=clock)
    check_stats(got["pytorch"], numpy_stats(np.asarray(durations[1:])), call)


# ----------------------------------------------------------------------------- make_runners


class Recorder(nn.Module):
    """Wraps a model and records, at each forward, torch's thread count and whether inference mode is on."""

    def __init__(self, inner: nn.Module) -> None:
        super().__init__()
        self.inner = inner
        self.seen: list[tuple[int, bool]] = []

    def forward(self, ids: torch.Tensor) -> torch.Tensor:
        if not torch.jit.is_tracing():
            self.seen.append((torch.get_num_threads(), torch.is_inference_mode_enabled()))
        return self.inner(ids)


def tiny_gpt() -> nn.Module:
    torch.manual_seed(0)
    return lm.CharGPT(lm.LMConfig(n_layer=1, n_head=2, d_model=16, d_ff=32)).eval()


_CACHE: dict = {}


def exported(model: nn.Module) -> bytes:
    if "onnx" not in _CACHE:
        buffer = io.BytesIO()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            torch.onnx.export(model, (torch.zeros(1, 3, dtype=torch.long),), buffer, dynamo=False, opset_version=17,
                              input_names=["input_ids"], output_names=["logits"],
                              dynamic_axes={"input_ids": {0: "b", 1: "t"}, "logits": {0: "b", 1: "t"}})
        _CACHE["onnx"] = buffer.getvalue()
    return _CACHE["onnx"]


@settings(max_examples=1)
@given(threads=st.sampled_from([1, 2]), batch=dims(1, 3), seq=dims(1, 9), seed=seeds())
@example(threads=2, batch=2, seq=9, seed=0)
def test_make_runners_configures_each_engine(kata, threads, batch, seq, seed):
    model = Recorder(tiny_gpt())
    blob = exported(model)
    call = describe_call("make_runners", model, blob, threads=threads)
    runners = kata.make_runners(model, blob, threads=threads)
    assert list(runners) == ["pytorch", "onnxruntime", "openvino"], f"{call} returned {list(runners)}"
    for name, runner in runners.items():
        assert runner.name == name, f"{call}[{name!r}].name is {runner.name!r}"
    session = runners["onnxruntime"].engine
    assert isinstance(session, ort.InferenceSession), f"{call}['onnxruntime'].engine is {type(session).__name__}"
    options = session.get_session_options()
    assert_equal(str(options.graph_optimization_level), str(ort.GraphOptimizationLevel.ORT_ENABLE_ALL),
                 name="onnxruntime graph_optimization_level", call=call)
    assert_equal(options.intra_op_num_threads, threads, name="onnxruntime intra_op_num_threads", call=call)
    compiled = runners["openvino"].engine
    assert_equal(int(compiled.get_property("INFERENCE_NUM_THREADS")), threads,
                 name="openvino INFERENCE_NUM_THREADS", call=call)
    precision = compiled.get_property("INFERENCE_PRECISION_HINT")
    assert precision == ov.Type.f32, f"{call}: openvino INFERENCE_PRECISION_HINT is {precision}, expected f32"
    assert runners["pytorch"].engine is model, f"{call}['pytorch'].engine is not the model"

    ids = np.random.default_rng(seed).integers(0, VOCAB, size=(batch, seq))
    with torch.no_grad():
        want = model.inner(torch.as_tensor(ids)).numpy()
    # The caller runs with a different thread count, so a runner that does not set it, or does not
    # restore it, shows.
    saved = torch.get_num_threads()
    torch.set_num_threads(threads + 1)
    try:
        for name, runner in runners.items():
            got = runner.run(ids)
            assert isinstance(got, np.ndarray) and got.dtype == np.float32, (
                f"{call}[{name!r}].run(ids) returned {type(got).__name__} {getattr(got, 'dtype', '')}, "
                "expected a float32 ndarray")
            assert_shape(got, (batch, seq, VOCAB), name=f"{name} logits", call=call)
            # float32 in every engine: ~1e-6 apart; bf16 (OpenVINO's CPU default on capable processors) is ~1e-3.
            assert_close(got, want, rtol=1e-4, atol=1e-4, name=f"{name} logits", call=call)
        after = torch.get_num_threads()
    finally:
        torch.set_num_threads(saved)
    assert model.seen == [(threads, True)], (
        f"{call}['pytorch'].run: the model ran with (torch threads, inference mode) = {model.seen}, "
        f"expected [({threads}, True)]")
    assert_equal(after, threads + 1, name="the caller's torch.get_num_threads() after the pytorch run", call=call)


def test_make_runners_default_is_one_thread(kata):
    model = Recorder(tiny_gpt())
    runners = kata.make_runners(model, exported(model))
    assert_equal(runners["onnxruntime"].engine.get_session_options().intra_op_num_threads, 1,
                 name="onnxruntime intra_op_num_threads with the default threads")
    assert_equal(int(runners["openvino"].engine.get_property("INFERENCE_NUM_THREADS")), 1,
                 name="openvino INFERENCE_NUM_THREADS with the default threads")


# ----------------------------------------------------------------------------- benchmark


@pytest.mark.benchmark
def test_benchmark_latency_across_frameworks(kata):
    """Real timings of the trained character GPT in each framework: printed, never asserted."""
    model = lm.load_model()
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, (torch.zeros(1, 8, dtype=torch.long),), buffer, dynamo=False, opset_version=17,
                          input_names=["input_ids"], output_names=["logits"],
                          dynamic_axes={"input_ids": {0: "b", 1: "t"}, "logits": {0: "b", 1: "t"}})
    shapes, n_runs = ([(1, 8)], 3) if smoke() else ([(1, 1), (1, 64), (8, 64)], 20)
    threads_options = [1] if smoke() else [1, 2]
    rng = np.random.default_rng(0)
    print(f"\n{'threads':>7} {'shape':>9} {'framework':>12} {'p50 ms':>9} {'p90 ms':>9} {'p99 ms':>9} {'tokens/s':>11}")
    for threads in threads_options:
        runners = kata.make_runners(model, buffer.getvalue(), threads=threads)
        for batch, seq in shapes:
            ids = rng.integers(0, VOCAB, size=(batch, seq))
            for name, row in kata.profile(runners, ids, n_runs=n_runs, warmup=3).items():
                print(f"{threads:>7} {f'{batch}x{seq}':>9} {name:>12} {row['p50_ms']:9.3f} {row['p90_ms']:9.3f} "
                      f"{row['p99_ms']:9.3f} {row['tokens_per_s']:11.0f}", flush=True)
