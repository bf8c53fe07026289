"""Tests for nlp-09-2, GQA vs multi-head attention at decode time.

Reference: the given full-sequence attention under a causal mask and
F.scaled_dot_product_attention(is_causal=True, enable_gqa=True) in float64 (token-by-token decoding
must reproduce every row), Tensor.nbytes of the real cache and of the parameters, FlopCounterMode
on a reference decode step written with explicit matmuls, and closed forms. Real timings are in
the `benchmark` test (pytest --run-benchmarks).
"""
import math
import time

import pytest
import torch
import torch._dynamo  # noqa: F401  FlopCounterMode imports it on first use (~3 s): pay that once, at collection
import torch.nn.functional as F
from hypothesis import example, given
from hypothesis import strategies as st
from torch.utils.flop_counter import FlopCounterMode

from grader.strategies import dims, seeds
from grader.testing import assert_close, assert_shape, describe_call, smoke

HEAD_GROUPS = st.sampled_from([(1, 1), (2, 1), (2, 2), (4, 1), (4, 2), (4, 4), (6, 3), (8, 2)])
DTYPES = st.sampled_from([torch.float32, torch.float64, torch.float16, torch.bfloat16])
TOL = 1e-10  # float64; only the order of summation differs


def random_attn(kata, d_model: int, n_heads: int, n_kv: int, seed: int, bias: bool = True):
    attn = kata.GroupedQueryAttention(d_model, n_heads, n_kv, bias=bias).double()
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in attn.parameters():
            p.copy_(torch.randn(p.shape, generator=g, dtype=torch.float64) * 0.5)
    return attn


def sdpa_causal(attn, x: torch.Tensor) -> torch.Tensor:
    b, seq, _ = x.shape
    q = F.linear(x, attn.q_proj.weight, attn.q_proj.bias).view(b, seq, attn.n_heads, -1).transpose(1, 2)
    k = F.linear(x, attn.k_proj.weight, attn.k_proj.bias).view(b, seq, attn.n_kv_heads, -1).transpose(1, 2)
    v = F.linear(x, attn.v_proj.weight, attn.v_proj.bias).view(b, seq, attn.n_kv_heads, -1).transpose(1, 2)
    out = F.scaled_dot_product_attention(q, k, v, is_causal=True, enable_gqa=True)
    return F.linear(out.transpose(1, 2).reshape(b, seq, -1), attn.out_proj.weight, attn.out_proj.bias)


def itemsize(dtype: torch.dtype) -> int:
    return torch.empty((), dtype=dtype).element_size()


def cache_hint(k: torch.Tensor, attn) -> str:
    if k.dim() == 4 and k.shape[1] == attn.n_heads != attn.n_kv_heads:
        return (f"the cache holds {attn.n_heads} heads: you stored the keys after repeat_kv; cache the "
                f"{attn.n_kv_heads} kv heads and repeat only when attending (that is GQA's whole saving)")
    return ""


@given(b=dims(1, 3), seq=dims(1, 7), hg=HEAD_GROUPS, d_head=dims(1, 4), prefill=dims(0, 3), seed=seeds())
@example(b=2, seq=5, hg=(4, 2), d_head=2, prefill=0, seed=0)
@example(b=1, seq=6, hg=(8, 2), d_head=1, prefill=3, seed=1)
@example(b=1, seq=1, hg=(2, 1), d_head=3, prefill=0, seed=2)
def test_decoding_token_by_token_equals_causal_attention(kata, b, seq, hg, d_head, prefill, seed):
    n_heads, n_kv = hg
    d_model = n_heads * d_head
    prefill = min(prefill, seq - 1)
    attn = random_attn(kata, d_model, n_heads, n_kv, seed)
    x = torch.randn(b, seq, d_model, generator=torch.Generator().manual_seed(seed + 1), dtype=torch.float64)
    with torch.no_grad():
        want = attn(x, mask=torch.ones(seq, seq, dtype=torch.bool).tril())
        assert_close(want, sdpa_causal(attn, x), rtol=TOL, atol=TOL, name="(the given attention vs SDPA)")
        cache = None
        if prefill:                                 # a cache filled from a prompt, in the documented layout
            cache = (attn.split(attn.k_proj(x[:, :prefill]), n_kv), attn.split(attn.v_proj(x[:, :prefill]), n_kv))
        outs = []
        for t in range(prefill, seq):
            call = describe_call(f"decode_step(GroupedQueryAttention(d_model={d_model}, n_heads={n_heads}, "
                                 f"n_kv_heads={n_kv}), cache of {t} tokens)", x[:, t:t + 1])
            out, cache = kata.decode_step(attn, x[:, t:t + 1], cache)
            assert_shape(out, (b, 1, d_model), name="out", call=call)
            hint = cache_hint(cache[0], attn)
            assert not hint, f"{call}: {hint}"
            assert_shape(cache[0], (b, n_kv, t + 1, d_head), name="cached keys", call=call)
            assert_shape(cache[1], (b, n_kv, t + 1, d_head), name="cached values", call=call)
            outs.append(out)
    got = torch.cat(outs, dim=1)
    assert_close(got, want[:, prefill:], rtol=TOL, atol=TOL, name=f"decoded outputs at positions {prefill}..{seq - 1}",
                 call=describe_call("decode_step", "...", "(token by token)"))


@given(b=dims(1, 3), steps=dims(1, 5), hg=HEAD_GROUPS, d_head=dims(1, 4), seed=seeds(),
       dtype=st.sampled_from([torch.float32, torch.float64]))
@example(b=4, steps=3, hg=(8, 2), d_head=4, seed=0, dtype=torch.float32)
def test_cache_bytes_match_the_real_cache(kata, b, steps, hg, d_head, seed, dtype):
    n_heads, n_kv = hg
    d_model = n_heads * d_head
    attn = random_attn(kata, d_model, n_heads, n_kv, seed).to(dtype)
    x = torch.randn(b, steps, d_model, generator=torch.Generator().manual_seed(seed), dtype=torch.float64).to(dtype)
    cache = None
    with torch.no_grad():
        for t in range(steps):
            out, cache = kata.decode_step(attn, x[:, t:t + 1], cache)
    assert out.dtype == dtype and cache[0].dtype == dtype, f"decode_step changed the dtype {dtype} to {out.dtype}"
    real = cache[0].nbytes + cache[1].nbytes
    want = 2 * b * steps * n_kv * d_head * itemsize(dtype)
    hint = cache_hint(cache[0], attn)
    assert real == want, f"after {steps} decode steps the cache holds {real} bytes, expected {want}" + (
        f"\n  looks like: {hint}" if hint else "")
    call = describe_call("kv_cache_bytes", b, steps, n_kv, d_head, dtype=dtype)
    got = kata.kv_cache_bytes(b, steps, n_kv, d_head, dtype=dtype)
    assert got == real, f"{call} returned {got}, but the real cache after {steps} steps holds {real} bytes"


@given(b=dims(1, 64), seq=dims(1, 4096), n_kv=dims(1, 32), d_head=dims(1, 256), n_layers=dims(1, 48), dtype=DTYPES)
@example(b=8, seq=4096, n_kv=8, d_head=128, n_layers=32, dtype=torch.float16)
def test_kv_cache_bytes_closed_form(kata, b, seq, n_kv, d_head, n_layers, dtype):
    call = describe_call("kv_cache_bytes", b, seq, n_kv, d_head, n_layers=n_layers, dtype=dtype)
    got = kata.kv_cache_bytes(b, seq, n_kv, d_head, n_layers=n_layers, dtype=dtype)
    want = 2 * n_layers * b * seq * n_kv * d_head * itemsize(dtype)
    hint = {want // 2: "half: count the values as well as the keys",
            want // n_layers: "one layer's worth: multiply by n_layers"}.get(got, "")
    assert got == want, f"{call} returned {got}, expected {want}" + (f"\n  looks like: {hint}" if hint else "")


def reference_decode_flops(attn, b: int, context: int) -> int:
    """FlopCounterMode on a decode step written with explicit matmuls (SDPA's CPU kernel is not counted)."""
    g = torch.Generator().manual_seed(0)
    x = torch.randn(b, 1, attn.d_model, generator=g, dtype=torch.float64)
    k_cache = torch.randn(b, attn.n_kv_heads, context, attn.d_head, generator=g, dtype=torch.float64)
    with FlopCounterMode(display=False) as counter, torch.no_grad():
        q = attn.split(attn.q_proj(x), attn.n_heads)
        k = torch.cat([k_cache, attn.split(attn.k_proj(x), attn.n_kv_heads)], dim=2)
        v = torch.cat([k_cache, attn.split(attn.v_proj(x), attn.n_kv_heads)], dim=2)
        attn.out_proj(attn.attend(q, k, v))
    return int(counter.get_total_flops())


@given(b=dims(1, 4), context=dims(0, 12), hg=HEAD_GROUPS, d_head=dims(1, 4))
@example(b=2, context=7, hg=(4, 1), d_head=2)
def test_decode_step_flops_as_flop_counter_mode_measures(kata, b, context, hg, d_head):
    n_heads, n_kv = hg
    d_model = n_heads * d_head
    attn = random_attn(kata, d_model, n_heads, n_kv, 0)
    call = describe_call("decode_step_flops", b, context, d_model, n_heads, n_kv)
    got = kata.decode_step_flops(b, context, d_model, n_heads, n_kv)
    want = reference_decode_flops(attn, b, context)
    with_g_heads = want - 4 * b * (n_heads - n_kv) * (context + 1) * d_head
    hint = {with_g_heads: "the attention products use n_heads query heads, not n_kv_heads: GQA does not reduce them",
            want - 4 * b * n_heads * d_head: "the new token's own position is missing (context_len + 1 keys)",
            want // 2: "half: multiply-adds instead of FLOPs"}.get(got, "") if got != want else ""
    assert got == want, f"{call} returned {got}; FlopCounterMode measures {want}" + (f"\n  looks like: {hint}" if hint else "")


@given(b=dims(1, 4), context=dims(0, 10), hg=HEAD_GROUPS, d_head=dims(1, 4), bias=st.booleans(),
       dtype=st.sampled_from([torch.float32, torch.float64]))
@example(b=3, context=5, hg=(8, 2), d_head=2, bias=True, dtype=torch.float32)
def test_decode_step_bytes_match_the_real_tensors(kata, b, context, hg, d_head, bias, dtype):
    n_heads, n_kv = hg
    d_model = n_heads * d_head
    attn = random_attn(kata, d_model, n_heads, n_kv, 0, bias=bias).to(dtype)
    params = sum(p.nbytes for p in attn.parameters())
    cache = 2 * b * n_kv * (context + 1) * d_head * itemsize(dtype)   # k and v after appending the new token
    call = describe_call("decode_step_bytes", b, context, d_model, n_heads, n_kv, dtype=dtype, bias=bias)
    got = kata.decode_step_bytes(b, context, d_model, n_heads, n_kv, dtype=dtype, bias=bias)
    want = params + cache
    hint = {params + cache // n_kv * n_heads: "the cache counted with n_heads heads: GQA caches n_kv_heads",
            params + cache // (context + 1) * context: "the new token's key and value are missing (context_len + 1)",
            cache: "the parameters are missing"}.get(got, "") if got != want else ""
    assert got == want, (f"{call} returned {got}; the parameters hold {params} bytes and the cache "
                         f"{cache} bytes" + (f"\n  looks like: {hint}" if hint else ""))


@given(context=st.sampled_from([64, 512, 4096]), hg=st.sampled_from([(8, 1), (8, 2), (16, 4), (32, 8)]),
       d_head=st.sampled_from([64, 128]), dtype=st.sampled_from([torch.float16, torch.float32]))
@example(context=4096, hg=(32, 8), d_head=128, dtype=torch.float16)
def test_speedup_grows_with_batch_towards_heads_over_groups(kata, context, hg, d_head, dtype):
    n_heads, n_kv = hg
    d_model = n_heads * d_head
    batches = [1, 4, 16, 64, 256, 1024]
    got = [kata.memory_bound_speedup(b, context, d_model, n_heads, n_kv, dtype=dtype) for b in batches]
    want = [kata.decode_step_bytes(b, context, d_model, n_heads, n_heads, dtype=dtype)
            / kata.decode_step_bytes(b, context, d_model, n_heads, n_kv, dtype=dtype) for b in batches]
    # Closed forms in float64 on both sides.
    assert_close(got, want, rtol=1e-12, atol=0, name="speedups for batches " + str(batches),
                 call=describe_call("memory_bound_speedup", "batch", context, d_model, n_heads, n_kv, dtype=dtype))
    limit = n_heads / n_kv
    assert all(1 <= a < c <= limit for a, c in zip(got, got[1:], strict=False)), (
        f"speedup over batches {batches} is {[round(s, 3) for s in got]}: it should rise with the batch (the cache "
        f"grows, the weights do not) and stay below n_heads / n_kv_heads = {limit:g}")
    b = 10**9
    assert math.isclose(kata.memory_bound_speedup(b, context, d_model, n_heads, n_kv, dtype=dtype), limit, rel_tol=1e-3), \
        f"on a huge batch the cache dominates and the speedup should approach n_heads / n_kv_heads = {limit:g}"


@pytest.mark.benchmark
def test_benchmark_decode_large_batch(kata):
    torch.manual_seed(0)
    b, context, d_model, n_heads = (2, 16, 32, 8) if smoke() else (64, 512, 512, 8)
    print(f"\ndecode step, batch {b}, context {context}, d_model {d_model}, {n_heads} heads, float32")
    for n_kv in (8, 2, 1):
        attn = kata.GroupedQueryAttention(d_model, n_heads, n_kv).eval()
        d_head = d_model // n_heads
        cache = (torch.randn(b, n_kv, context, d_head), torch.randn(b, n_kv, context, d_head))
        x = torch.randn(b, 1, d_model)
        with torch.no_grad():
            kata.decode_step(attn, x, cache)
            t0 = time.perf_counter()
            for _ in range(5):
                kata.decode_step(attn, x, cache)
        ms = (time.perf_counter() - t0) / 5 * 1e3
        print(f"  n_kv_heads={n_kv:2d}: {ms:7.2f} ms/step, cache {kata.kv_cache_bytes(b, context, n_kv, d_head) / 2**20:7.1f} "
              f"MiB, {kata.decode_step_flops(b, context, d_model, n_heads, n_kv) / 1e9:.2f} GFLOP, "
              f"predicted memory-bound speedup {kata.memory_bound_speedup(b, context, d_model, n_heads, n_kv):.2f}x")
