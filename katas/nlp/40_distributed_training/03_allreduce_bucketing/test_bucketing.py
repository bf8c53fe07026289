"""Tests for nlp-40-3, bucketed gradient all-reduce on a real gloo process group.

References: the bucket plan is pinned by its defining properties (reverse parameter order, greedy,
a bucket closes as soon as it holds >= bucket_bytes); the averaged gradients by one
torch.distributed.all_reduce per tensor on the same ranks, and by
torch.nn.parallel.DistributedDataParallel's gradients. The communication itself is counted, not
timed: each rank wraps torch.distributed.all_reduce and records every call's byte count. Timings
are only printed, in the benchmark test.
"""
import copy
import time

import pytest
import torch
import torch._dynamo  # noqa: F401  (DDP imports it on first use: pay that at collection, in the parent, not in each rank)
import torch.distributed as dist
import torch.nn.functional as F
from hypothesis import example, given, settings
from hypothesis import strategies as st
from torch import nn
from torch.nn.parallel import DistributedDataParallel

from grader.distributed import run_ranks
from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, describe_call, smoke

WORLD = 2


# --- plan_buckets: no process group needed ---

def check_plan(plan, numels, element_size, bucket_bytes, call):
    flat = [i for bucket in plan for i in bucket]
    assert_equal(flat, list(reversed(range(len(numels)))), call=call,
                 name="the buckets' indices, concatenated (every parameter once, last parameter first)")
    for b, bucket in enumerate(plan):
        assert bucket, f"{call}: bucket {b} is empty"
        nbytes = sum(numels[i] for i in bucket) * element_size
        before_last = nbytes - numels[bucket[-1]] * element_size
        assert before_last < bucket_bytes, (
            f"{call}: bucket {b} = {bucket} already held {before_last} >= {bucket_bytes} bytes before its last "
            f"parameter was added; it should have been closed then")
        if b < len(plan) - 1:
            assert nbytes >= bucket_bytes, (
                f"{call}: bucket {b} = {bucket} holds {nbytes} < {bucket_bytes} bytes but was closed; only the "
                f"last bucket may be smaller than bucket_bytes")


@given(numels=st.lists(st.integers(1, 40), max_size=8), element_size=st.sampled_from([1, 2, 4, 8]),
       bucket_bytes=st.integers(1, 200))
@example(numels=[3, 2, 5], element_size=4, bucket_bytes=20)   # 5*4 = 20: exactly full, closes alone
@example(numels=[3, 2, 5], element_size=4, bucket_bytes=21)   # [2, 1] = 28 bytes, then [0]
@example(numels=[10, 10], element_size=8, bucket_bytes=1)     # every parameter its own bucket
@example(numels=[1, 1, 1], element_size=1, bucket_bytes=10**6)  # everything in one bucket
@example(numels=[], element_size=4, bucket_bytes=8)           # no parameters, no buckets
@example(numels=[1, 4, 5], element_size=1, bucket_bytes=5)    # [2] closes; the next bucket restarts from 0 bytes
def test_plan_buckets_is_greedy_in_reverse_order(kata, numels, element_size, bucket_bytes):
    call = describe_call("plan_buckets", numels, element_size, bucket_bytes)
    plan = kata.plan_buckets(numels, element_size, bucket_bytes)
    check_plan(plan, numels, element_size, bucket_bytes, call)


@given(element_size=st.integers(-1, 2), bucket_bytes=st.integers(-1, 2), bad_numel=st.integers(-1, 1))
@example(element_size=0, bucket_bytes=4, bad_numel=1)
@example(element_size=4, bucket_bytes=0, bad_numel=1)
@example(element_size=4, bucket_bytes=4, bad_numel=0)
def test_plan_buckets_rejects_bad_arguments(kata, element_size, bucket_bytes, bad_numel):
    if element_size >= 1 and bucket_bytes >= 1 and bad_numel >= 1:
        bad_numel = 0
    numels = [3, bad_numel, 2]
    with pytest.raises(ValueError):
        kata.plan_buckets(numels, element_size, bucket_bytes)
        pytest.fail(f"{describe_call('plan_buckets', numels, element_size, bucket_bytes)} returned instead of "
                    "raising ValueError")


# --- bucketed_all_reduce: on the ranks ---

class Counter:
    """Wraps torch.distributed.all_reduce on this rank and records each call's bytes and dtype."""

    def __enter__(self):
        self.calls, self.original = [], dist.all_reduce

        def counted(tensor, *args, **kwargs):
            self.calls.append((tensor.numel() * tensor.element_size(), tensor.dtype))
            return self.original(tensor, *args, **kwargs)
        dist.all_reduce = counted
        return self

    def __exit__(self, *exc):
        dist.all_reduce = self.original


def make_grads(shapes, dtype, seed, rank):
    g = torch.Generator().manual_seed(seed * 7 + rank)
    return [torch.randn(s, generator=g, dtype=dtype) for s in shapes]


def _bucketed(kata, rank, world, shapes, dtype, bucket_bytes, seed):
    grads = make_grads(shapes, dtype, seed, rank)
    want = [g.clone() for g in grads]
    for w in want:  # the baseline: one all-reduce per tensor
        dist.all_reduce(w, op=dist.ReduceOp.SUM)
        w /= world
    held = list(grads)
    with Counter() as c:
        plan = kata.bucketed_all_reduce(grads, bucket_bytes)
    return held, want, c.calls, plan


def _ddp(kata, rank, world, seed, bucket_bytes, n):
    torch.manual_seed(seed)
    net = nn.Sequential(nn.Linear(3, 5), nn.Tanh(), nn.Linear(5, 4), nn.Tanh(), nn.Linear(4, 2)).double()
    plain = copy.deepcopy(net)
    g = torch.Generator().manual_seed(seed * 7 + rank)
    x, y = torch.randn(n, 3, generator=g, dtype=torch.float64), torch.randn(n, 2, generator=g, dtype=torch.float64)
    ddp = DistributedDataParallel(net, bucket_cap_mb=bucket_bytes / 2**20)
    F.mse_loss(ddp(x), y).backward()
    F.mse_loss(plain(x), y).backward()
    grads = [p.grad for p in plain.parameters()]
    with Counter() as c:
        kata.bucketed_all_reduce(grads, bucket_bytes)
    return [p.grad for p in ddp.module.parameters()], [p.grad for p in plain.parameters()], c.calls


shapes_st = st.lists(st.lists(st.integers(1, 4), min_size=1, max_size=2).map(tuple), min_size=1, max_size=6)


@given(shapes=shapes_st, dtype=st.sampled_from([torch.float32, torch.float64]), bucket_bytes=st.integers(1, 160),
       seed=seeds())
@example(shapes=[(2, 3), (3,), (3, 2), (2,)], dtype=torch.float32, bucket_bytes=32, seed=0)  # 8, 24 | 12, 24 bytes
@example(shapes=[(2, 3), (3,), (3, 2), (2,)], dtype=torch.float64, bucket_bytes=10**6, seed=1)  # one bucket
@example(shapes=[(4,), (4,)], dtype=torch.float32, bucket_bytes=1, seed=2)  # one call per tensor
@settings(max_examples=10)
def test_bucketed_all_reduce_averages_with_one_call_per_bucket(kata, shapes, dtype, bucket_bytes, seed):
    call = describe_call("bucketed_all_reduce", f"grads of shapes {shapes}, {dtype}", bucket_bytes) + f" on {WORLD} ranks"
    numels = [torch.Size(s).numel() for s in shapes]
    size = torch.empty((), dtype=dtype).element_size()
    plan = greedy_plan(numels, size, bucket_bytes)
    for rank, (held, want, calls, returned) in enumerate(run_ranks(kata, _bucketed, shapes, dtype, bucket_bytes, seed,
                                                                   world=WORLD)):
        assert returned == plan, f"{call}: rank {rank} returned the plan {returned}, expected {plan}"
        assert_equal([b for b, _ in calls], [sum(numels[i] for i in b) * size for b in plan], call=call,
                     name=f"bytes of each torch.distributed.all_reduce call on rank {rank} (one call per bucket, "
                          "in bucket order)")
        assert all(d == dtype for _, d in calls), f"{call}: rank {rank} all-reduced a buffer of dtype " \
                                                  f"{[d for _, d in calls]}, expected {dtype}"
        for i, (g, w) in enumerate(zip(held, want, strict=True)):
            assert g.dtype == dtype and g.shape == w.shape, f"{call}: grads[{i}] changed dtype or shape"
            assert_close(g, w, rtol=0, atol=0, call=call,
                         name=f"grads[{i}] on rank {rank}, in place (reference: one all_reduce per tensor / world)")


@given(seed=seeds(), bucket_bytes=st.sampled_from([1, 100, 300, 10**6]), n=st.integers(1, 4))
@example(seed=0, bucket_bytes=100, n=3)
@settings(max_examples=4)
def test_bucketed_all_reduce_matches_ddp(kata, seed, bucket_bytes, n):
    call = describe_call("bucketed_all_reduce", "[p.grad for p in model.parameters()]", bucket_bytes) + \
        f" on {WORLD} ranks"
    for rank, (ddp_grads, got, calls) in enumerate(run_ranks(kata, _ddp, seed, bucket_bytes, n, world=WORLD)):
        for i, (g, w) in enumerate(zip(got, ddp_grads, strict=True)):
            assert_close(g, w, rtol=1e-12, atol=1e-14, call=call,
                         name=f"gradient of parameter {i} on rank {rank} (reference: DistributedDataParallel)")
        want = greedy_plan([15, 5, 20, 4, 8, 2], 8, bucket_bytes)  # the net's parameters, float64
        assert_equal(len(calls), len(want), call=call, name=f"number of all_reduce calls on rank {rank}")


def greedy_plan(numels, element_size, bucket_bytes):
    """The plan the docstring defines (test_plan_buckets_is_greedy_in_reverse_order pins it by its properties)."""
    out, current, nbytes = [], [], 0
    for i in reversed(range(len(numels))):
        current.append(i)
        nbytes += numels[i] * element_size
        if nbytes >= bucket_bytes:
            out.append(current)
            current, nbytes = [], 0
    return out + ([current] if current else [])


def test_bucketed_all_reduce_without_gradients_makes_no_call(kata):
    got = run_ranks(kata, _bucketed, [], torch.float32, 64, 0, world=WORLD)
    for rank, (_, _, calls, plan) in enumerate(got):
        assert calls == [] and plan == [], \
            f"bucketed_all_reduce([], 64) on rank {rank}: made {len(calls)} all_reduce calls and returned {plan}, " \
            "expected no call and []"


# --- benchmark: real timings, printed only ---

def _time(kata, rank, world, shapes, bucket_bytes, repeats):
    grads = [torch.randn(s) for s in shapes]
    dist.barrier()
    t = time.perf_counter()
    for _ in range(repeats):
        if bucket_bytes is None:
            for g in grads:
                dist.all_reduce(g)
        else:
            kata.bucketed_all_reduce(grads, bucket_bytes)
    return (time.perf_counter() - t) / repeats


@pytest.mark.benchmark
def test_benchmark_bucketing(kata):
    # many small tensors: a transformer's biases and LayerNorm weights are exactly this
    shapes = [(8,)] * 8 if smoke() else [(64,)] * 200 + [(256, 64)] * 8
    total = sum(torch.Size(s).numel() for s in shapes) * 4
    repeats = 2 if smoke() else 20
    print(f"\n{len(shapes)} float32 tensors, {total} bytes, {WORLD} gloo ranks")
    print(f"{'strategy':>24} {'calls':>6} {'ms / all-reduce':>16}")
    for label, cap in [("one call per tensor", None), ("bucket 1 KiB", 2**10), ("bucket 64 KiB", 2**16),
                       ("bucket 25 MiB (DDP)", 25 * 2**20)]:
        calls = len(shapes) if cap is None else len(kata.plan_buckets([torch.Size(s).numel() for s in shapes], 4, cap))
        secs = max(run_ranks(kata, _time, shapes, cap, repeats, world=WORLD))
        print(f"{label:>24} {calls:>6} {secs * 1e3:>16.3f}")
