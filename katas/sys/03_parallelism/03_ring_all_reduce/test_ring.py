"""Tests for sys-03-3, a ring all-reduce built from point-to-point messages, and its cost model.

References: torch.distributed.all_reduce (gloo) on the same tensors, exact on integer-valued inputs;
the float64 sum of the ranks' tensors; numpy.array_split for the chunking; the ring's cost model
(2(p - 1) messages and 2(p - 1)/p * n elements per rank) against the messages and elements the
ring really sent, counted by the given RingLink. The test forks 3 local processes once per kata
under test and joins them into a gloo process group on a free localhost port; a rank that raises
or hangs is reported with its traceback and the group is restarted.
"""
import math

import numpy as np
import pytest
import torch
from hypothesis import example, given
from hypothesis import strategies as st

from grader import distributed
from grader.strategies import seeds, torch_float_dtypes
from grader.testing import (
    assert_close,
    assert_dtype,
    assert_equal,
    assert_no_alias,
    call_unmodified,
    describe_call,
)

WORLD = 3


def run_ranks(kata, job, *args):
    """Run the job named `job` (a function of this module: job(kata, rank, world, *args)) on every rank
    of a real gloo group (grader.distributed)."""
    return distributed.run_ranks(kata, globals()[job], *args, world=WORLD)


# --- jobs: run inside each rank ---

def _ring(kata, rank, world, xs):
    import torch.distributed as dist

    x = xs[rank]
    link = kata.RingLink(rank, world)
    out = call_unmodified(kata.ring_all_reduce, x, link, fn_name="ring_all_reduce")
    ref = x.clone()
    dist.all_reduce(ref)
    return out, ref, link.messages, link.elements


def draw_inputs(seed, shape, dtype, integers):
    g = torch.Generator().manual_seed(seed)
    if integers:  # sums of small integers are exact in every order: the ring must equal all_reduce bit for bit
        return [torch.randint(-8, 9, shape, generator=g).to(dtype) for _ in range(WORLD)]
    return [torch.randn(shape, generator=g, dtype=torch.float64).to(dtype) for _ in range(WORLD)]


SHAPES = st.sampled_from([(1,), (2,), (3,), (4,), (7,), (12,), (2, 5), (3, 1, 4), (0,)])


@given(n=st.integers(0, 40), world=st.integers(1, 6))
@example(n=0, world=3)
@example(n=2, world=3)   # fewer elements than ranks: an empty chunk
@example(n=7, world=3)   # 7 = 3 + 2 + 2
def test_chunk_bounds_match_array_split(kata, n, world):
    got = kata.chunk_bounds(n, world)
    sizes = [len(c) for c in np.array_split(np.arange(n), world)]
    starts = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(int)
    want = [(int(s), int(s + k)) for s, k in zip(starts, sizes, strict=True)]
    assert [tuple(b) for b in got] == want, f"chunk_bounds({n}, {world}) = {got}, expected {want} (numpy.array_split's sizes)"


@given(n=st.integers(1, 20))
def test_chunk_bounds_rejects_bad_arguments(kata, n):
    for args in [(-n, 2), (n, 0), (n, -1)]:
        with pytest.raises(ValueError):
            kata.chunk_bounds(*args)
            pytest.fail(f"chunk_bounds{args} returned instead of raising ValueError")


@given(seed=seeds(), shape=SHAPES, dtype=torch_float_dtypes())
def test_one_rank_is_a_copy_without_messages(kata, seed, shape, dtype):
    x = torch.randn(shape, generator=torch.Generator().manual_seed(seed)).to(dtype)
    link = kata.RingLink(0, 1)
    call = describe_call("ring_all_reduce", x, "RingLink(0, 1)")
    out = call_unmodified(kata.ring_all_reduce, x, link, fn_name="ring_all_reduce")
    assert_equal(out, x, call=call)
    assert_dtype(out, x, call=call)
    assert_no_alias(out, x, call=call)
    assert link.messages == 0, f"{call} sent {link.messages} messages; a ring of one rank has nobody to talk to"


@given(seed=seeds(), shape=SHAPES, dtype=torch_float_dtypes(), integers=st.booleans())
@example(seed=0, shape=(7,), dtype=torch.float64, integers=True)
@example(seed=1, shape=(2,), dtype=torch.float32, integers=True)
@example(seed=2, shape=(0,), dtype=torch.float32, integers=False)
def test_ring_all_reduce_equals_dist_all_reduce(kata, seed, shape, dtype, integers):
    xs = draw_inputs(seed, shape, dtype, integers)
    want = sum(x.double() for x in xs)
    call = describe_call("ring_all_reduce", xs[0], f"RingLink(rank, {WORLD})")
    for r, (out, ref, _, _) in enumerate(run_ranks(kata, "_ring", xs)):
        assert_dtype(out, xs[r], call=call, name=f"result on rank {r}")
        if integers:
            assert_equal(out, ref, call=call, name=f"result on rank {r} (vs dist.all_reduce)")
        # float32: three terms, each rounding once: a few ulps of the largest partial sum.
        tol = dict(rtol=1e-6, atol=1e-6) if dtype == torch.float32 else dict(rtol=1e-13, atol=1e-13)
        assert_close(out, want, **tol, call=call, name=f"result on rank {r} (vs the float64 sum)")


@given(seed=seeds(), n=st.integers(0, 30))
@example(seed=0, n=6)
@example(seed=0, n=7)
@example(seed=0, n=1)
def test_ring_sends_what_the_cost_model_says(kata, seed, n):
    xs = draw_inputs(seed, (n,), torch.float32, True)
    results = run_ranks(kata, "_ring", xs)
    messages = [m for _, _, m, _ in results]
    elements = [e for _, _, _, e in results]
    assert messages == [2 * (WORLD - 1)] * WORLD, (
        f"ring_all_reduce on {n} elements and {WORLD} ranks sent {messages} messages per rank, expected "
        f"2(p - 1) = {2 * (WORLD - 1)} each: p - 1 reduce-scatter steps, then p - 1 all-gather steps")
    assert sum(elements) == 2 * (WORLD - 1) * n, (
        f"ring_all_reduce on {n} elements sent {elements} elements per rank, {sum(elements)} in all; the ring sends "
        f"2(p - 1)/p * n per rank, {2 * (WORLD - 1) * n} in all (every step moves one chunk per rank, n in all)")
    assert max(elements) <= 2 * (WORLD - 1) * math.ceil(n / WORLD), (
        f"one rank sent {max(elements)} elements, more than 2(p - 1) chunks of at most ceil(n/p) = {math.ceil(n / WORLD)}")
    sent_bytes = kata.ring_cost(n, WORLD, 4, 0.0, 1.0)[1]
    assert_close(sent_bytes, sum(elements) * 4 / WORLD, rtol=1e-12, atol=0,
                 call=describe_call("ring_cost", n, WORLD, 4, 0.0, 1.0), name="bytes per rank (mean measured)")


@given(n=st.integers(0, 10**9), world=st.integers(1, 1024), bpe=st.sampled_from([1, 2, 4, 8]),
       latency=st.sampled_from([0.0, 5e-6, 1e-3]), bandwidth=st.sampled_from([1.0, 25e9, 900e9]))
@example(n=1024, world=4, bpe=4, latency=1e-5, bandwidth=1e9)  # 6 messages, 6144 bytes, 6e-5 + 6.144e-6 s
@example(n=7, world=1, bpe=2, latency=1.0, bandwidth=1.0)      # alone: nothing to send
def test_ring_cost_closed_form(kata, n, world, bpe, latency, bandwidth):
    call = describe_call("ring_cost", n, world, bpe, latency, bandwidth)
    messages, sent, seconds = kata.ring_cost(n, world, bpe, latency, bandwidth)
    assert messages == 2 * (world - 1), f"{call} gave {messages} messages, expected 2(p - 1) = {2 * (world - 1)}"
    want = 2 * (world - 1) / world * n * bpe
    assert_close(sent, want, rtol=1e-12, atol=0, call=call, name="bytes sent per rank, 2(p - 1)/p * n * bytes")
    assert_close(seconds, 2 * (world - 1) * latency + want / bandwidth, rtol=1e-12, atol=0, call=call,
                 name="time, messages * latency + bytes / bandwidth")


@given(n=st.integers(1, 100))
def test_ring_cost_rejects_bad_arguments(kata, n):
    for args in [(-n, 2, 4, 0.0, 1.0), (n, 0, 4, 0.0, 1.0), (n, 2, 0, 0.0, 1.0), (n, 2, 4, -1e-6, 1.0),
                 (n, 2, 4, 0.0, 0.0), (n, 2, 4, 0.0, -1.0)]:
        with pytest.raises(ValueError):
            kata.ring_cost(*args)
            pytest.fail(f"ring_cost{args} returned instead of raising ValueError")
