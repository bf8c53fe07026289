"""Tests for nlp-21-3, linear attention's speed gain on 100k-token contexts, by counters.

References: the masked quadratic form D^-1 ((phi(Q) phi(K)^T) * tril) V for the chunked algorithm;
torch.utils.flop_counter.FlopCounterMode on the learner's own runs (chunked) and on explicit masked
attention (quadratic) for the closed forms, which then give the 100k-token numbers without running
them; brute force over candidate chunk sizes. Timings at 100k+ tokens are in the benchmark only.
"""
import time

import pytest
import torch
import torch.nn.functional as F
from hypothesis import example, given, settings
from hypothesis import strategies as st
from torch.utils.flop_counter import FlopCounterMode

from grader.strategies import seeds, torch_float_dtypes
from grader.testing import assert_close, assert_dtype, call_unmodified, describe_call


def rand(seed: int, *shape: int, dtype: torch.dtype = torch.float64) -> torch.Tensor:
    return torch.randn(*shape, generator=torch.Generator().manual_seed(seed), dtype=torch.float64).to(dtype)


def masked_quadratic(q, k, v):
    qf, kf = F.elu(q.double()) + 1, F.elu(k.double()) + 1
    t = q.shape[-2]
    a = (qf @ kf.transpose(-2, -1)) * torch.ones(t, t, dtype=torch.float64).tril()
    return (a / a.sum(-1, keepdim=True)) @ v.double()


@given(lead=st.sampled_from([(), (2,), (1, 2), (2, 2), (2, 3)]), t=st.integers(1, 40), d=st.integers(1, 6),
       chunk=st.integers(1, 50), dtype=torch_float_dtypes(), seed=seeds())
@example(lead=(1, 2), t=1, d=1, chunk=1, dtype=torch.float64, seed=0)
@example(lead=(1, 2), t=10, d=3, chunk=4, dtype=torch.float32, seed=1)    # ragged last chunk
@example(lead=(1, 2), t=10, d=3, chunk=10, dtype=torch.float64, seed=2)   # one chunk: purely quadratic
@example(lead=(2, 3), t=6, d=2, chunk=4, dtype=torch.float64, seed=3)     # batch and heads of different sizes
def test_chunked_equals_masked_quadratic_form(kata, lead, t, d, chunk, dtype, seed):
    """Shapes (..., T, d): any leading dimensions, none included."""
    q, k, v = (rand(seed + i, *lead, t, d, dtype=dtype) for i in range(3))
    call = describe_call("chunked_linear_attention", q, k, v, chunk)
    got = call_unmodified(kata.chunked_linear_attention, q, k, v, chunk)
    assert_dtype(got, q, call=call)
    tol = dict(rtol=1e-5, atol=1e-6) if dtype == torch.float32 else dict(rtol=1e-10, atol=1e-12)
    assert_close(got, masked_quadratic(q, k, v), **tol, name="causal linear attention", call=call)


@settings(max_examples=8)
@given(t=st.integers(1, 300), d=st.sampled_from([1, 4, 16]), chunk=st.sampled_from([1, 7, 32, 64, 512]))
@example(t=300, d=16, chunk=64)
def test_chunked_flops_counts_your_run(kata, t, d, chunk):
    q, k, v = (rand(i, 1, 1, t, d, dtype=torch.float32) for i in range(3))
    counter = FlopCounterMode(display=False)
    with counter:
        kata.chunked_linear_attention(q, k, v, chunk)
    got = kata.chunked_flops(t, d, chunk)
    assert int(got) == counter.get_total_flops(), (
        f"chunked_flops({t}, {d}, {chunk}) = {got}, but FlopCounterMode counted {counter.get_total_flops()} matmul "
        f"FLOPs in your chunked_linear_attention on that input: the closed form must describe your algorithm")
    bound = 16 * t * (chunk * d + d * d) + 16 * d * d
    assert counter.get_total_flops() <= bound, (
        f"chunked_linear_attention(T={t}, d={d}, chunk={chunk}) used {counter.get_total_flops()} FLOPs; a chunked "
        f"algorithm needs O(T (chunk d + d^2)) = at most about {bound}")


@given(t=st.integers(1, 200), d=st.sampled_from([1, 4, 16]))
def test_quadratic_flops_counts_explicit_attention(kata, t, d):
    q, k, v = (rand(i, 1, 1, t, d, dtype=torch.float32) for i in range(3))
    counter = FlopCounterMode(display=False)
    with counter:
        a = torch.softmax((q @ k.transpose(-2, -1)).masked_fill(~torch.ones(t, t, dtype=torch.bool).tril(), -1e9), -1)
        a @ v
    got = kata.quadratic_flops(t, d)
    assert int(got) == counter.get_total_flops(), (
        f"quadratic_flops({t}, {d}) = {got}, but explicit attention (Q K^T, then A V) counts {counter.get_total_flops()}")


@given(d=st.sampled_from([32, 64, 128]), chunk=st.sampled_from([64, 128, 256]))
def test_hundred_thousand_tokens(kata, d, chunk):
    t = 131_072
    lin, quad = kata.chunked_flops(t, d, chunk), kata.quadratic_flops(t, d)
    assert quad / lin > 100, (f"at {t} tokens, d={d}, chunk={chunk}: quadratic {quad:.3g} FLOPs vs chunked {lin:.3g}; "
                              f"linear attention should be over 100x cheaper")
    assert kata.chunked_flops(2 * t, d, chunk) == 2 * lin, "chunked FLOPs must grow linearly with the length"


@given(t=st.integers(1, 5000), d=st.sampled_from([8, 64]),
       candidates=st.lists(st.sampled_from([16, 32, 64, 128, 256, 512, 1024]), min_size=1, max_size=4, unique=True))
@example(t=4096, d=64, candidates=[16, 64, 256, 1024])
def test_best_chunk_by_brute_force(kata, t, d, candidates):
    flops = {c: kata.chunked_flops(t, d, c) for c in candidates}
    want = min(candidates, key=lambda c: (flops[c], c))
    got = kata.best_chunk(t, d, candidates)
    assert int(got) == want, f"best_chunk({t}, {d}, {candidates}) = {got}, expected {want} (FLOPs {flops}, ties: smaller)"


@settings(max_examples=5)
@given(chunk=st.integers(-3, 0))
@example(chunk=0)
@example(chunk=-1)
def test_bad_chunk_raises(kata, chunk):
    q = torch.zeros(1, 1, 4, 2)
    with pytest.raises(ValueError):
        kata.chunked_linear_attention(q, q, q, chunk)
    with pytest.raises(ValueError):
        kata.chunked_flops(4, 2, chunk)


@pytest.mark.benchmark
def test_benchmark_ultra_long(kata):
    print("\n   tokens   chunked s   SDPA (causal) s   (1 head, d=64, chunk 256, float32)")
    for t in (4096, 16384, 65536, 131072):
        q, k, v = (torch.randn(1, 1, t, 64) for _ in range(3))
        t0 = time.perf_counter()
        kata.chunked_linear_attention(q, k, v, 256)
        lin = time.perf_counter() - t0
        sdpa = float("nan")
        if t <= 16384:
            t0 = time.perf_counter()
            F.scaled_dot_product_attention(q, k, v, is_causal=True)
            sdpa = time.perf_counter() - t0
        print(f"{t:9d}   {lin:9.3f}   {sdpa:15.3f}   predicted FLOP ratio "
              f"{kata.quadratic_flops(t, 64) / kata.chunked_flops(t, 64, 256):.0f}x")
