"""Tests for sys-02-3, a microbenchmark harness.

References: numpy's percentile, mean and std on the same samples, and a scripted fake clock whose
reads and the calls of the timed function are counted, so warm-up and timing are checked exactly.
The `benchmark` test then uses the harness for real timings of torch ops on this machine.
"""
import numpy as np
import pytest
import torch
from hypothesis import example, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from grader.testing import assert_close, call_unmodified, describe_call, smoke


class FakeClock:
    """A timer whose k-th read returns readings[k]; records which call of fn each read happened after."""

    def __init__(self, readings):
        self.readings, self.reads, self.calls, self.log = list(readings), 0, 0, []

    def __call__(self):
        assert self.reads < len(self.readings), (
            f"the timer was read more than {len(self.readings)} times (2 per timed call): is it read during warm-up?")
        value = self.readings[self.reads]
        self.reads += 1
        self.log.append(self.calls)
        return value

    def fn(self):
        self.calls += 1


@given(warmup=st.integers(0, 5), repeats=st.integers(1, 12), steps=st.data())
@example(warmup=0, repeats=1, steps=None)
@example(warmup=3, repeats=10, steps=None)
def test_time_calls_with_a_fake_clock(kata, warmup, repeats, steps):
    durations = (steps.draw(st.lists(st.integers(0, 1000), min_size=2 * repeats, max_size=2 * repeats), label="ticks")
                 if steps is not None else list(range(1, 2 * repeats + 1)))
    readings = np.cumsum(np.asarray(durations, dtype=np.float64) / 1000.0).tolist()
    clock = FakeClock(readings)
    call = describe_call("time_calls", "fn", warmup=warmup, repeats=repeats) + " with a scripted timer"
    kwargs = {"warmup": warmup, "repeats": repeats, "timer": clock} if (warmup, repeats) != (3, 10) else {"timer": clock}
    got = np.asarray(kata.time_calls(clock.fn, **kwargs))
    assert clock.calls == warmup + repeats, f"{call} called fn {clock.calls} times, expected {warmup} + {repeats}"
    assert clock.reads == 2 * repeats, f"{call} read the timer {clock.reads} times, expected 2 per timed call"
    want_log = [c for i in range(repeats) for c in (warmup + i, warmup + i + 1)]
    assert clock.log == want_log, (f"{call}: fn had been called {clock.log} times at each timer read, expected "
                                   f"{want_log} (no reads during warm-up; one read before and one after each timed call)")
    want = np.asarray(readings[1::2]) - np.asarray(readings[0::2])
    assert got.shape == (repeats,), f"{call} returned shape {got.shape}, expected ({repeats},)"
    assert_close(got, want, rtol=0, atol=1e-12, call=call)


SAMPLES = hnp.arrays(np.float64, st.integers(1, 60), elements=st.floats(0, 10, allow_nan=False))


@given(t=SAMPLES)
@example(t=np.array([0.5]))                  # one sample: std 0
@example(t=np.array([1.0, 3.0]))             # two samples: the smallest with a sample std
@example(t=np.array([0.1, 0.2, 0.7], dtype=np.float32))  # float32 timings: statistics still in float64
@example(t=np.array([1.0, 2.0, 3.0, 4.0]))   # p90 interpolates between 3 and 4
@example(t=np.array([1.0] * 99 + [100.0]))   # one outlier: p99 interpolates towards it, the median ignores it
def test_summarize_matches_numpy(kata, t):
    got = call_unmodified(kata.summarize, t, fn_name="summarize")
    t64 = t.astype(np.float64)
    want = {"n": t.size, "min": t64.min(), "mean": t64.mean(), "median": np.percentile(t64, 50),
            "p90": np.percentile(t64, 90), "p99": np.percentile(t64, 99), "std": t64.std(ddof=1) if t.size > 1 else 0.0}
    assert set(got) == set(want), f"summarize returned keys {sorted(got)}, expected {sorted(want)}"
    for key, w in want.items():
        assert_close(got[key], w, rtol=1e-12, atol=1e-12, name=f"{key!r}", call=describe_call("summarize", t))


@given(b=st.integers(0, 10**13), f=st.integers(0, 10**16), s=st.floats(1e-9, 10))
def test_rates(kata, b, f, s):
    assert kata.bandwidth_gb_per_s(b, s) == pytest.approx(b / s / 1e9, rel=1e-12), (
        f"bandwidth_gb_per_s({b}, {s}) = {kata.bandwidth_gb_per_s(b, s)}, expected bytes/s / 1e9 (GB, not GiB)")
    assert kata.tflop_per_s(f, s) == pytest.approx(f / s / 1e12, rel=1e-12), f"tflop_per_s({f}, {s})"


def test_rejects_invalid_inputs(kata):
    bad = [(kata.time_calls, (lambda: None,), {"warmup": -1}), (kata.time_calls, (lambda: None,), {"repeats": 0}),
           (kata.summarize, (np.array([]),), {}), (kata.summarize, (np.ones((2, 2)),), {}),
           (kata.summarize, (np.array([1.0, -1e-9]),), {}), (kata.summarize, (np.array([1.0, np.nan]),), {}),
           (kata.summarize, (np.array([1.0, np.inf]),), {}),
           (kata.bandwidth_gb_per_s, (10, 0.0), {}), (kata.bandwidth_gb_per_s, (-1, 1.0), {}),
           (kata.bandwidth_gb_per_s, (10, -0.5), {}),
           (kata.tflop_per_s, (10, 0.0), {}), (kata.tflop_per_s, (10, -0.5), {}), (kata.tflop_per_s, (-1, 1.0), {})]
    for fn, args, kwargs in bad:
        with pytest.raises(ValueError):
            fn(*args, **kwargs)
            pytest.fail(f"{describe_call(fn.__name__, *args, **kwargs)} returned instead of raising ValueError")


@pytest.mark.benchmark
def test_benchmark_torch_ops_with_the_harness(kata):
    n = 1 << 12 if smoke() else 1 << 24
    s = 64 if smoke() else 1024
    x, y = torch.randn(n), torch.randn(n)
    a, b = torch.randn(s, s), torch.randn(s, s)
    for name, fn, moved, flops in (("x + y", lambda: x + y, 3 * 4 * n, n),
                                   (f"{s}x{s} matmul", lambda: a @ b, 3 * 4 * s * s, 2 * s**3)):
        stats = kata.summarize(kata.time_calls(fn, warmup=2, repeats=5 if smoke() else 20))
        print(f"{name}: median {stats['median'] * 1e3:.3f} ms (p90 {stats['p90'] * 1e3:.3f} ms), "
              f"{kata.bandwidth_gb_per_s(moved, stats['median']):.1f} GB/s, "
              f"{kata.tflop_per_s(flops, stats['median']) * 1e3:.2f} GFLOP/s")
