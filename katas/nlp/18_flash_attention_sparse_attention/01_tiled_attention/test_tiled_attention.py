"""Tests for nlp-18-1, tiled (flash) attention with an HBM byte count.

References: torch.nn.functional.scaled_dot_product_attention for the values and, through autograd, the
gradients of q, k and v (float64, so any difference is the algorithm, not rounding); HBM traffic
counted by the given HBM counter during the learner's own runs and compared with the closed forms
written out here from the tile schedule (FlashAttention-2 order: outer loop over query blocks).
Wall-clock bandwidth numbers are printed by the benchmark test only.
"""
import math
import time

import pytest
import torch
import torch.nn.functional as F
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import seeds, torch_float_dtypes
from grader.testing import assert_close, assert_dtype, call_unmodified, describe_call

SHAPES = st.tuples(st.integers(1, 2), st.integers(1, 2), st.integers(1, 33), st.sampled_from([1, 4, 8, 16]))
TOL = {torch.float32: dict(rtol=1e-5, atol=2e-6), torch.float64: dict(rtol=1e-10, atol=1e-12)}


def qkv(seed: int, shape: tuple[int, int, int, int], dtype: torch.dtype, scale: float = 1.0) -> list[torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    return [(torch.randn(shape, generator=g, dtype=torch.float64) * scale).to(dtype) for _ in range(3)]


def ref_flash_elements(t: int, d: int, bq: int, bk: int, causal: bool) -> int:
    """Elements moved per head: Q read once, O written once, and for every query block every key block it
    needs (all of them, or under a causal mask those starting at or before the block's last row) read as K and V."""
    total = 2 * t * d
    for i0 in range(0, t, bq):
        last = min(i0 + bq, t) - 1
        total += sum(2 * (min(j0 + bk, t) - j0) * d for j0 in range(0, t, bk) if not causal or j0 <= last)
    return total


@given(shape=SHAPES, bq=st.integers(1, 40), bk=st.integers(1, 40), causal=st.booleans(), dtype=torch_float_dtypes(),
       scale=st.sampled_from([1.0, 8.0]), seed=seeds())
@example(shape=(1, 1, 1, 4), bq=1, bk=1, causal=True, dtype=torch.float32, scale=1.0, seed=0)
@example(shape=(1, 1, 7, 4), bq=3, bk=2, causal=True, dtype=torch.float64, scale=1.0, seed=1)   # ragged last tiles
@example(shape=(2, 1, 16, 8), bq=4, bk=4, causal=False, dtype=torch.float32, scale=8.0, seed=2)  # large logits
@example(shape=(1, 2, 5, 4), bq=40, bk=40, causal=True, dtype=torch.float64, scale=1.0, seed=3)  # one tile
def test_values_match_sdpa(kata, shape, bq, bk, causal, dtype, scale, seed):
    q, k, v = qkv(seed, shape, dtype, scale)
    call = describe_call("flash_attention", q, k, v, bq, bk, causal=causal)
    got = call_unmodified(kata.flash_attention, q, k, v, bq, bk, causal=causal)
    want = F.scaled_dot_product_attention(q.double(), k.double(), v.double(), is_causal=causal)
    assert_dtype(got, q, call=call)
    # float32: online-softmax rescaling adds a few ulps per tile, and logits (~scale^2) rounded at eps * |s|
    # move the weights: atol grows like scale^3 (|v| ~ scale). float64: exact up to rounding.
    tol = dict(rtol=2e-5, atol=2e-6 * scale**3) if dtype == torch.float32 else TOL[dtype]
    assert_close(got, want, **tol, call=call)


@settings(max_examples=4)
@given(shape=SHAPES, bq=st.integers(1, 40), bk=st.integers(1, 40), causal=st.booleans(), seed=seeds())
@example(shape=(1, 2, 9, 8), bq=4, bk=3, causal=True, seed=0)
def test_flash_attention_in_bfloat16(kata, shape, bq, bk, causal, seed):
    q, k, v = qkv(seed, shape, torch.bfloat16)
    call = describe_call("flash_attention", q, k, v, bq, bk, causal=causal)
    got = call_unmodified(kata.flash_attention, q, k, v, bq, bk, causal=causal)
    assert_dtype(got, q, name="output (same dtype as q, here bfloat16)", call=call)
    want = F.scaled_dot_product_attention(q.double(), k.double(), v.double(), is_causal=causal)
    # bfloat16 has eps 2^-8 ~ 0.004; rescaling and accumulating tiles in bfloat16 costs a few ulps of O(1)
    # values (float32 running statistics do better): 0.05 absolute and relative.
    assert_close(got.double(), want, rtol=0.05, atol=0.05, call=call)


@settings(max_examples=12)
@given(shape=SHAPES, bq=st.integers(1, 12), bk=st.integers(1, 12), causal=st.booleans(), seed=seeds())
@example(shape=(1, 1, 6, 4), bq=4, bk=4, causal=True, seed=0)
def test_gradients_match_sdpa(kata, shape, bq, bk, causal, seed):
    q, k, v = (t.requires_grad_() for t in qkv(seed, shape, torch.float64))
    g = torch.Generator().manual_seed(seed + 1)
    weight = torch.randn(shape[:-1] + (shape[-1],), generator=g, dtype=torch.float64)
    (kata.flash_attention(q, k, v, bq, bk, causal=causal) * weight).sum().backward()
    got = [t.grad.clone() for t in (q, k, v)]
    for t in (q, k, v):
        t.grad = None
    (F.scaled_dot_product_attention(q, k, v, is_causal=causal) * weight).sum().backward()
    call = describe_call("flash_attention", q, k, v, bq, bk, causal=causal)
    for name, a, t in zip("qkv", got, (q, k, v), strict=True):
        assert_close(a, t.grad, rtol=1e-9, atol=1e-11, name=f"gradient of {name}", call=call + " then backward()")


@given(shape=SHAPES, bq=st.integers(1, 40), bk=st.integers(1, 40), causal=st.booleans(),
       dtype=torch_float_dtypes(), seed=seeds())
@example(shape=(1, 1, 8, 4), bq=4, bk=3, causal=True, dtype=torch.float32, seed=0)
@example(shape=(1, 1, 9, 4), bq=3, bk=3, causal=True, dtype=torch.float32, seed=0)
def test_flash_traffic_counted_and_closed_form(kata, shape, bq, bk, causal, dtype, seed):
    b, h, t, d = shape
    q, k, v = qkv(seed, shape, dtype)
    hbm = kata.HBM()
    kata.flash_attention(q, k, v, bq, bk, causal=causal, hbm=hbm)
    item = q.element_size()
    want = ref_flash_elements(t, d, bq, bk, causal) * item
    moved = hbm.bytes_read + hbm.bytes_written
    assert moved == b * h * want, (
        f"flash_attention(q={list(shape)}, block_q={bq}, block_k={bk}, causal={causal}) moved {moved} bytes through "
        f"the HBM counter (read {hbm.bytes_read}, wrote {hbm.bytes_written}); the tile schedule moves "
        f"{b * h * want}: each Q tile read once, each needed K and V tile read once per query block, each O tile "
        f"written once, nothing else (no S or P in HBM; causal: skip key blocks entirely above the diagonal)")
    assert hbm.bytes_written == q.nelement() * item, (
        f"flash_attention wrote {hbm.bytes_written} bytes, expected only the output ({q.nelement() * item} bytes)")
    got = kata.flash_traffic(t, d, bq, bk, causal, item)
    assert int(got) == want, (f"{describe_call('flash_traffic', t, d, bq, bk, causal, item)} returned {got}, "
                              f"expected {want} bytes per head")


@given(shape=SHAPES, causal=st.booleans(), dtype=torch_float_dtypes(), seed=seeds())
@example(shape=(1, 1, 1, 1), causal=False, dtype=torch.float32, seed=0)
def test_standard_attention_values_and_traffic(kata, shape, causal, dtype, seed):
    b, h, t, d = shape
    q, k, v = qkv(seed, shape, dtype)
    hbm = kata.HBM()
    call = describe_call("standard_attention", q, k, v, causal=causal)
    got = call_unmodified(kata.standard_attention, q, k, v, causal=causal, hbm=hbm)
    want = F.scaled_dot_product_attention(q.double(), k.double(), v.double(), is_causal=causal)
    assert_dtype(got, q, call=call)
    assert_close(got, want, **TOL[dtype], call=call)
    item = q.element_size()
    per_head = (4 * t * d + 4 * t * t) * item
    moved = hbm.bytes_read + hbm.bytes_written
    assert moved == b * h * per_head, (
        f"{call} moved {moved} bytes through the HBM counter, expected {b * h * per_head}: read Q, K; write S; "
        f"read S, write P; read P, V; write O = (4 T d + 4 T^2) elements per head")
    got_bytes = kata.standard_traffic(t, d, item)
    assert int(got_bytes) == per_head, f"standard_traffic({t}, {d}, {item}) returned {got_bytes}, expected {per_head}"


@given(t=st.integers(256, 4096), d=st.sampled_from([32, 64, 128]), block=st.sampled_from([64, 128]))
def test_tiling_saves_traffic_at_long_sequences(kata, t, d, block):
    flash = kata.flash_traffic(t, d, block, block, False, 2)
    standard = kata.standard_traffic(t, d, 2)
    # Standard: ~4 T^2; flash: ~2 T^2 d / block_q. The ratio is about 2 block_q / d, independent of T.
    assert flash < standard, (f"at T={t}, d={d}, block={block}: flash_traffic {flash} bytes is not below "
                              f"standard_traffic {standard}")
    predicted = 2 * block / d
    assert 0.5 * predicted <= standard / flash <= 2 * predicted + 1, (
        f"standard / flash traffic = {standard / flash:.2f} at T={t}, d={d}, block={block}; expected about "
        f"2 block_q / d = {predicted:.2f}")


@given(bq=st.integers(-2, 0), bk=st.integers(-2, 4))
def test_rejects_empty_blocks(kata, bq, bk):
    q = torch.zeros(1, 1, 4, 2)
    for a, b in ((bq, bk), (bk, bq)):
        with pytest.raises(ValueError):
            kata.flash_attention(q, q, q, a, b)
        with pytest.raises(ValueError):
            kata.flash_traffic(4, 2, a, b, False, 4)


@pytest.mark.benchmark
def test_benchmark_bandwidth(kata):
    print("\nseq_len  standard ms  flash ms  standard MB  flash MB  (float32, 4 heads, d=64, blocks of 128)")
    for t in (256, 512, 1024, 2048):
        q, k, v = qkv(0, (1, 4, t, 64), torch.float32)
        rows = []
        for fn, args in ((kata.standard_attention, ()), (kata.flash_attention, (128, 128))):
            fn(q, k, v, *args, causal=True)
            t0 = time.perf_counter()
            fn(q, k, v, *args, causal=True)
            rows.append((time.perf_counter() - t0) * 1e3)
        mb = [4 * kata.standard_traffic(t, 64, 4) / 2**20, 4 * kata.flash_traffic(t, 64, 128, 128, True, 4) / 2**20]
        print(f"{t:7d}  {rows[0]:11.2f}  {rows[1]:8.2f}  {mb[0]:11.1f}  {mb[1]:8.1f}  "
              f"(flash bandwidth {mb[1] / 1024 / (rows[1] / 1e3):.2f} GB/s; {math.ceil(t / 128)} query blocks)")
