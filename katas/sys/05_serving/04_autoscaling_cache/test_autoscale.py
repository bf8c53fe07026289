"""Tests for sys-05-4, a response cache in front of an autoscaled model server, in simulation.

References: hand-checked traces (worked out in the comments); a plain model of an LRU cache (a list
in recency order); the closed form of the target-tracking rule; an independently written simulator
for drawn workloads; and the measured effect of the cache on a Zipf-distributed prompt stream (far
fewer replica-ticks).
"""
import math

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import seeds
from grader.testing import assert_equal, call_unmodified, describe_call

KEYS = st.sampled_from(list("abcdef"))


@given(capacity=st.integers(0, 4), ops=st.lists(st.tuples(st.sampled_from(["get", "put"]), KEYS), max_size=30))
@example(capacity=2, ops=[("put", "a"), ("put", "b"), ("get", "a"), ("put", "c"), ("get", "b"), ("get", "a")])
@example(capacity=0, ops=[("put", "a"), ("get", "a")])
def test_lru_cache_against_a_recency_list(kata, capacity, ops):
    cache = kata.LRUCache(capacity)
    order, hits, misses = [], 0, 0  # least recently used first
    for step, (op, key) in enumerate(ops):
        where = f"LRUCache({capacity}) after {ops[:step + 1]}"
        if op == "put":
            cache.put(key, key.upper())
            if capacity:
                if key in order:
                    order.remove(key)
                order.append(key)
                if len(order) > capacity:
                    order.pop(0)
        else:
            got = cache.get(key)
            if key in order:
                order.remove(key)
                order.append(key)
                hits += 1
                assert got == key.upper(), f"{where}: get({key!r}) returned {got!r}, expected {key.upper()!r}"
            else:
                misses += 1
                assert got is None, f"{where}: get({key!r}) returned {got!r}, expected None (not cached)"
        assert cache.keys() == order, f"{where}: keys() = {cache.keys()}, expected {order} (least recently used first)"
        assert (cache.hits, cache.misses) == (hits, misses), (
            f"{where}: hits, misses = {cache.hits}, {cache.misses}, expected {hits}, {misses}")


def test_lru_rejects_negative_capacity(kata):
    with pytest.raises(ValueError):
        kata.LRUCache(-1)
        pytest.fail("LRUCache(-1) returned instead of raising ValueError")


@given(demand=st.integers(0, 500), rate=st.integers(1, 10), util=st.sampled_from([0.5, 0.8, 1.0]),
       lo=st.integers(0, 3), extra=st.integers(0, 10))
@example(demand=8, rate=4, util=0.5, lo=0, extra=10)   # exactly 4 replicas
@example(demand=9, rate=4, util=0.5, lo=0, extra=10)   # 4.5 -> 5
@example(demand=0, rate=4, util=0.5, lo=2, extra=0)    # never below min_replicas
def test_desired_replicas_is_the_clamped_ceiling(kata, demand, rate, util, lo, extra):
    want = min(max(math.ceil(demand / (rate * util)), lo), lo + extra)
    got = kata.desired_replicas(demand, rate, util, lo, lo + extra)
    assert got == want, (f"desired_replicas({demand}, {rate}, {util}, {lo}, {lo + extra}) = {got}, expected "
                         f"clamp(ceil(demand / (rate * utilization)), min, max) = {want}")


@given(bad=st.sampled_from([(0, 0.8, 1, 2), (4, 0.0, 1, 2), (4, 1.5, 1, 2), (4, 0.8, -1, 2), (4, 0.8, 3, 2)]))
def test_desired_replicas_rejects_bad_settings(kata, bad):
    rate, util, lo, hi = bad
    with pytest.raises(ValueError):
        kata.desired_replicas(5, rate, util, lo, hi)
        pytest.fail(f"desired_replicas(5, {rate}, {util}, {lo}, {hi}) returned instead of raising ValueError")


def check(kata, requests, settings_, want):
    got = call_unmodified(kata.simulate, requests, *settings_, fn_name="simulate")
    call = describe_call("simulate", requests, *settings_)
    assert set(got) == set(want), f"{call} returned keys {sorted(got)}, expected {sorted(want)}"
    for name, values in want.items():
        assert_equal(got[name], values, call=call, name=f'"{name}" per tick')


def test_hand_checked_trace_with_cache_and_cancelled_scale_up(kata):
    # t0: 3 misses, 1 replica serves a, b (b evicts a from the 1-entry cache); c waits. demand 3 + 1 ->
    #     2 replicas: one more, ready at t0 + 1 + warmup = 2.   t1: b hits, a misses; c and a are served.
    #     demand 1 -> 1 replica: the pending one is cancelled.  t2: a hits.
    check(kata, [["a", "b", "c"], ["b", "a"], ["a"]], (1, 2, 1.0, 1, 3, 1),
          {"active": [1, 1, 1], "queue": [1, 0, 0], "hits": [0, 1, 1], "misses": [3, 1, 0], "served": [2, 2, 0]})


def test_hand_checked_trace_with_scale_up_and_down(kata):
    # t0: 6 misses, 1 replica serves 2, 4 wait; demand 6 + 4 -> ceil(10 / 2) = 5, capped at 3: two more,
    #     ready at t1 (no warm-up). t1: 3 replicas serve the 4 waiting; demand 0 -> min 1: scale down to 1.
    check(kata, [list("abcdef"), [], ["g"]], (0, 2, 1.0, 1, 3, 0),
          {"active": [1, 3, 1], "queue": [4, 0, 0], "hits": [0, 0, 0], "misses": [6, 0, 1], "served": [2, 4, 1]})


def reference(requests, capacity, rate, util, lo, hi, warmup):
    cache, queue, active, pending = [], [], lo, []
    rows = []
    for t, arriving in enumerate(requests):
        active += pending.count(t)
        pending = [r for r in pending if r != t]
        hits = misses = 0
        for key in arriving:
            if key in cache:
                cache.remove(key)
                cache.append(key)
                hits += 1
            else:
                misses += 1
                queue.append(key)
        served = min(len(queue), active * rate)
        for key in queue[:served]:
            if capacity:
                if key in cache:
                    cache.remove(key)
                cache.append(key)
                cache = cache[-capacity:]
        queue = queue[served:]
        rows.append((active, len(queue), hits, misses, served))
        desired = min(max(math.ceil((misses + len(queue)) / (rate * util)), lo), hi)
        if desired > active + len(pending):
            pending += [t + 1 + warmup] * (desired - active - len(pending))
        elif desired < active + len(pending):
            surplus = active + len(pending) - desired
            cancelled = min(surplus, len(pending))
            pending = sorted(pending)[: len(pending) - cancelled]
            active -= surplus - cancelled
    return dict(zip(["active", "queue", "hits", "misses", "served"], map(list, zip(*rows, strict=True)), strict=True))


@given(seed=seeds(), ticks=st.integers(1, 25), capacity=st.integers(0, 5), rate=st.integers(1, 3),
       util=st.sampled_from([0.5, 1.0]), lo=st.integers(0, 2), extra=st.integers(0, 3), warmup=st.integers(0, 3))
def test_simulate_matches_the_reference_simulator(kata, seed, ticks, capacity, rate, util, lo, extra, warmup):
    rng = np.random.default_rng(seed)
    requests = [[str(k) for k in rng.integers(0, 8, rng.integers(0, 6))] for _ in range(ticks)]
    want = reference(requests, capacity, rate, util, lo, lo + extra, warmup)
    check(kata, requests, (capacity, rate, util, lo, lo + extra, warmup), want)


@settings(max_examples=3)
@given(seed=seeds())
def test_a_cache_cuts_the_replicas_a_zipf_workload_needs(kata, seed):
    rng = np.random.default_rng(seed)
    keys = [f"prompt {k}" for k in rng.zipf(1.3, 2000)]
    requests = [keys[i * 20:(i + 1) * 20] for i in range(100)]
    cost = {cap: int(kata.simulate(requests, cap, 4, 0.8, 1, 20, 3)["active"].sum()) for cap in (0, 100)}
    assert cost[100] < 0.6 * cost[0], (
        f"replica-ticks without cache {cost[0]}, with a 100-entry LRU cache {cost[100]}: popular prompts repeat, "
        "so cached answers should spare well over 40 % of the replicas")


def test_simulate_rejects_a_negative_warmup(kata):
    with pytest.raises(ValueError):
        kata.simulate([["a"]], 1, 1, 1.0, 1, 2, -1)
        pytest.fail("simulate(..., warmup_ticks=-1) returned instead of raising ValueError")


def test_an_empty_trace_gives_empty_int64_arrays(kata):
    got = kata.simulate([], 1, 1, 1.0, 1, 2, 0)
    for name in ("active", "queue", "hits", "misses", "served"):
        assert got[name].shape == (0,) and got[name].dtype == np.int64, (
            f'simulate([], ...)["{name}"] is {got[name].dtype}{list(got[name].shape)}, expected an empty int64 array')
