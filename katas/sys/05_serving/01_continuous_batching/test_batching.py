"""Tests for sys-05-1, static vs continuous (iteration-level) batching in a discrete-event simulator.

References: hand-checked traces (worked out in the README); a second, independently written
simulator of each policy (a deque of waiting requests and a list of running ones); and the measured
gap on a Poisson workload with heavy-tailed output lengths (20 seeds checked: continuous batching's
mean latency is >= 2.8x lower and its throughput >= 1.4x higher at max_batch = 4).
"""
from collections import deque

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import seeds
from grader.testing import assert_close, call_unmodified, describe_call


def reference(arrivals, lengths, max_batch, step, continuous):
    waiting = deque(sorted(range(len(arrivals)), key=lambda i: (arrivals[i], i)))
    finish = [0.0] * len(arrivals)
    running, t = [], 0.0
    while waiting or running:
        if not running and arrivals[waiting[0]] > t:
            t = float(arrivals[waiting[0]])  # idle: jump to the next arrival
        if continuous or not running:
            while waiting and len(running) < max_batch and arrivals[waiting[0]] <= t:
                i = waiting.popleft()
                running.append([i, int(lengths[i])])
        if continuous:
            t += step
            for item in running:
                item[1] -= 1
                if item[1] == 0:
                    finish[item[0]] = t
            running = [item for item in running if item[1] > 0]
        else:
            t += step * max(n for _, n in running)
            for i, _ in running:
                finish[i] = t
            running = []
    return np.array(finish)


@st.composite
def workloads(draw):
    n = draw(st.integers(1, 10))
    arrivals = np.array(draw(st.lists(st.integers(0, 20), min_size=n, max_size=n)), dtype=np.float64) / 2
    lengths = np.array(draw(st.lists(st.integers(1, 9), min_size=n, max_size=n)))
    return arrivals, lengths, draw(st.integers(1, 4)), draw(st.sampled_from([1.0, 0.25, 0.03]))


HAND = (np.zeros(4), np.array([1, 4, 2, 8]), 2)


def test_hand_checked_trace(kata):
    a, n, b = HAND
    static = call_unmodified(kata.simulate_static, a, n, b, fn_name="simulate_static")
    cont = call_unmodified(kata.simulate_continuous, a, n, b, fn_name="simulate_continuous")
    assert_close(static, [4, 4, 12, 12], rtol=0, atol=1e-12, call="simulate_static(zeros(4), [1, 4, 2, 8], 2)",
                 name="finish times (a static batch returns when its longest request is done)")
    assert_close(cont, [1, 4, 3, 11], rtol=0, atol=1e-12, call="simulate_continuous(zeros(4), [1, 4, 2, 8], 2)",
                 name="finish times (a freed slot is refilled at the next iteration)")


def test_late_arrivals_wait_for_the_running_batch(kata):
    a, n = np.array([0.0, 1.0, 1.5, 9.0]), np.array([3, 1, 2, 1])
    assert_close(kata.simulate_static(a, n, 2), [3, 5, 5, 10], rtol=0, atol=1e-12,
                 call="simulate_static([0, 1, 1.5, 9], [3, 1, 2, 1], 2)",
                 name="finish times (requests 1 and 2 wait for request 0's batch, then run together until t = 5; "
                      "the engine idles until t = 9)")
    assert_close(kata.simulate_continuous(a, n, 2, step_time=0.5), [1.5, 1.5, 2.5, 9.5], rtol=0, atol=1e-12,
                 call="simulate_continuous([0, 1, 1.5, 9], [3, 1, 2, 1], 2, step_time=0.5)",
                 name="finish times (request 1 joins the iteration starting at t = 1)")


@given(workload=workloads())
@example(workload=(np.array([3.0, 0.0, 0.0]), np.array([2, 5, 1]), 1, 1.0))  # unsorted arrivals: FCFS by time
@example(workload=(np.array([1.0, 1.0, 1.0]), np.array([2, 2, 2]), 2, 1.0))  # equal arrivals: by index
def test_both_policies_match_the_reference_simulator(kata, workload):
    a, n, b, step = workload
    for name, fn, cont in (("simulate_static", kata.simulate_static, False), ("simulate_continuous", kata.simulate_continuous, True)):
        call = describe_call(name, a, n, b, step_time=step)
        got = fn(a, n, b, step_time=step)
        assert_close(got, reference(a, n, b, step, cont), rtol=1e-12, atol=1e-12, call=call, name="finish times")


@given(workload=workloads())
def test_default_step_time_is_one(kata, workload):
    a, n, b, _ = workload
    assert_close(kata.simulate_continuous(a, n, b), reference(a, n, b, 1.0, True), rtol=0, atol=1e-12,
                 call=describe_call("simulate_continuous", a, n, b), name="finish times with the default step_time")
    assert_close(kata.simulate_static(a, n, b), reference(a, n, b, 1.0, False), rtol=0, atol=1e-12,
                 call=describe_call("simulate_static", a, n, b), name="finish times with the default step_time")


def test_summarize(kata):
    a, n, _ = HAND
    got = call_unmodified(kata.summarize, a, n, np.array([1.0, 4, 3, 11]), fn_name="summarize")
    want = {"mean_latency": 19 / 4, "max_latency": 11.0, "throughput": 15 / 11}
    assert set(got) == set(want), f"summarize returned keys {sorted(got)}, expected {sorted(want)}"
    for key, value in want.items():
        assert_close(got[key], value, rtol=1e-12, atol=0, call="summarize(zeros(4), [1, 4, 2, 8], [1, 4, 3, 11])", name=key)
    got = kata.summarize(np.array([2.0, 3.0]), np.array([2, 2]), np.array([4.0, 6.0]))
    assert_close(got["throughput"], 4 / 4, rtol=1e-12, atol=0, call="summarize([2, 3], [2, 2], [4, 6])",
                 name="throughput = tokens / (last finish - first arrival)")


@settings(max_examples=5)
@given(seed=st.sampled_from(range(20)))
def test_continuous_batching_wins_on_a_heavy_tailed_workload(kata, seed):
    rng = np.random.default_rng(seed)
    a = np.cumsum(rng.exponential(1.0, 40))
    n = np.minimum(np.ceil(rng.pareto(1.5, 40) * 4) + 1, 200).astype(int)
    static = kata.summarize(a, n, kata.simulate_static(a, n, 4))
    cont = kata.summarize(a, n, kata.simulate_continuous(a, n, 4))
    assert cont["mean_latency"] * 2 < static["mean_latency"], (
        f"seed {seed}: continuous mean latency {cont['mean_latency']:.2f} vs static {static['mean_latency']:.2f}; "
        "a short request should not wait for the longest one in its batch")
    assert cont["throughput"] > 1.2 * static["throughput"], (
        f"seed {seed}: continuous throughput {cont['throughput']:.3f} vs static {static['throughput']:.3f} tokens/step")


@given(bad=st.sampled_from(["length0", "max_batch0", "step0", "negative_arrival", "shapes", "empty"]), seed=seeds())
def test_reject_bad_workloads(kata, bad, seed):
    a, n, b, step = np.array([0.0, 1.0]), np.array([2, 3]), 2, 1.0
    if bad == "length0":
        n = np.array([2, 0])
    elif bad == "max_batch0":
        b = 0
    elif bad == "step0":
        step = 0.0
    elif bad == "negative_arrival":
        a = np.array([-1.0, 1.0])
    elif bad == "shapes":
        n = np.array([2, 3, 4])
    else:
        a, n = np.array([]), np.array([], dtype=int)
    for name in ("simulate_static", "simulate_continuous"):
        with pytest.raises(ValueError):
            getattr(kata, name)(a, n, b, step_time=step)
            pytest.fail(f"{name} accepted a workload with {bad}")
