"""Tests for nlp-07-1, sliding-window attention.

Reference: the mask written element by element from its definition;
torch.nn.functional.scaled_dot_product_attention with that mask (float64) for the attention;
FlopCounterMode for the banded cost (at most ~4·L·window·d, where full attention needs 2·L²·d);
and the loss recomputed with SDPA, whose value has a closed form on either side of the cliff.
"""
import math
import time

import numpy as np
import pytest
import torch
import torch._dynamo  # noqa: F401  (FlopCounterMode imports it on first use, ~2 s: do it at collection, untimed)
import torch.nn.functional as F
from hypothesis import example, given, settings
from torch.utils.flop_counter import FlopCounterMode

from grader.strategies import dims, seeds
from grader.testing import assert_close, assert_equal, assert_shape, describe_call


def ref_mask(seq_len: int, window: int) -> np.ndarray:
    return np.array([[i - window < j <= i for j in range(seq_len)] for i in range(seq_len)])


def periodic_doc(seed: int, period: int, length: int, vocab: int) -> torch.Tensor:
    """A segment of `period` distinct tokens repeated: token t + 1 == token t + 1 - period."""
    g = torch.Generator().manual_seed(seed)
    segment = torch.randperm(vocab, generator=g)[:period]
    return segment.repeat(length // period + 1)[:length]


@given(seq_len=dims(1, 12), window=dims(1, 14))
@example(seq_len=5, window=1)     # only the diagonal
@example(seq_len=5, window=5)     # plain causal
@example(seq_len=6, window=3)
def test_mask_matches_its_definition(kata, seq_len, window):
    call = describe_call("sliding_window_mask", seq_len, window)
    got = kata.sliding_window_mask(seq_len, window)
    assert_shape(got, (seq_len, seq_len), name="mask", call=call)
    assert got.dtype == torch.bool, f"{call} returned dtype {got.dtype}, expected torch.bool"
    assert_equal(got, ref_mask(seq_len, window), name="mask (True iff i - window < j <= i)", call=call)
    with pytest.raises(ValueError):
        kata.sliding_window_mask(seq_len, 0)
        pytest.fail(f"sliding_window_mask({seq_len}, 0) returned instead of raising ValueError")


@given(b=dims(1, 2), h=dims(1, 3), seq_len=dims(1, 24), window=dims(1, 30), d=dims(1, 8), d_v=dims(1, 8),
       seed=seeds())
@example(b=1, h=1, seq_len=6, window=1, d=2, d_v=3, seed=0)
@example(b=2, h=2, seq_len=9, window=3, d=4, d_v=4, seed=1)
@example(b=1, h=2, seq_len=7, window=7, d=3, d_v=2, seed=2)     # window = L: causal attention
@example(b=1, h=1, seq_len=4, window=30, d=2, d_v=2, seed=3)    # window > L
def test_attention_equals_sdpa_with_the_window_mask(kata, b, h, seq_len, window, d, d_v, seed):
    g = torch.Generator().manual_seed(seed)
    q = torch.randn(b, h, seq_len, d, generator=g, dtype=torch.float64) * 2
    k = torch.randn(b, h, seq_len, d, generator=g, dtype=torch.float64)
    v = torch.randn(b, h, seq_len, d_v, generator=g, dtype=torch.float64)
    call = describe_call("sliding_window_attention", q, k, v, window)
    got = kata.sliding_window_attention(q, k, v, window)
    mask = torch.from_numpy(ref_mask(seq_len, window))
    want = F.scaled_dot_product_attention(q, k, v, attn_mask=mask)
    assert_shape(got, (b, h, seq_len, d_v), call=call)
    # float64; only the summation order differs.
    assert_close(got, want, rtol=1e-9, atol=1e-10, call=call)


@settings(max_examples=10)
@given(window=dims(1, 8), extra=dims(0, 16), d=dims(1, 8), d_v=dims(1, 8), seed=seeds())
@example(window=4, extra=0, d=8, d_v=8, seed=0)
def test_work_grows_with_the_window_not_the_length(kata, window, extra, d, d_v, seed):
    seq_len = 8 * window + extra
    g = torch.Generator().manual_seed(seed)
    q, k = torch.randn(2, 1, 2, seq_len, d, generator=g)
    v = torch.randn(1, 2, seq_len, d_v, generator=g)
    with FlopCounterMode(display=False) as counter:
        kata.sliding_window_attention(q, k, v, window)
    flops = counter.get_total_flops()
    bound = 2 * 1 * 2 * 2 * (seq_len + window) * window * (d + d_v)
    full = 2 * 1 * 2 * seq_len * seq_len * (d + d_v)
    assert flops <= bound, (
        f"sliding_window_attention(L={seq_len}, window={window}, d_head={d}, d_v={d_v}, 2 heads) did {flops} matmul "
        f"FLOPs; a banded computation needs at most {bound} (full attention with a mask costs {full}): compute each "
        f"query's scores against its own window of keys, not against all L keys")


@given(vocab=dims(4, 12), period=dims(2, 8), repeats=dims(2, 40), window=dims(1, 64), seed=seeds())
@example(vocab=8, period=5, repeats=40, window=4, seed=0)    # just short of the period: cannot see the source
@example(vocab=8, period=5, repeats=40, window=5, seed=0)    # just long enough
@example(vocab=4, period=2, repeats=2, window=1, seed=1)
def test_long_doc_loss_matches_the_reference_and_falls_off_a_cliff(kata, vocab, period, repeats, window, seed):
    period = min(period, vocab)
    length = period * repeats + seed % period + 1
    tokens = periodic_doc(seed, period, length, vocab)
    call = describe_call("long_doc_loss", tokens, window, period, vocab)
    got = float(kata.long_doc_loss(tokens, window, period, vocab))
    q, k, v = kata.copy_head(tokens, period - 1, vocab)
    out = F.scaled_dot_product_attention(q, k, v, attn_mask=torch.from_numpy(ref_mask(length, window)))
    logp = kata.readout(out)[0, 0]
    t = torch.arange(period - 1, length - 1)
    want = float(-logp[t, tokens[t + 1]].mean())
    # float64: a mean of at most ~320 logs.
    assert_close(got, want, rtol=1e-9, atol=1e-9, name="mean next-token loss", call=call)
    if window < period:   # the source token is out of reach and nowhere else in the window
        assert abs(got - math.log(vocab / 1e-3)) < 1e-9, (
            f"{call} = {got:.6f}: with window {window} < period {period} the head cannot see the token to copy, "
            f"so every prediction is the floor eps / V and the loss is log(V / eps) = {math.log(vocab / 1e-3):.6f}")
    else:
        assert got < 0.01, f"{call} = {got:.6f}: with window {window} >= period {period} the copy head should be near 0"


@pytest.mark.benchmark
def test_benchmark_banded_vs_full(kata):
    heads, d = 8, 64
    for seq_len, window in ((1024, 128), (4096, 128), (8192, 256)):
        q = torch.randn(1, heads, seq_len, d)
        mask = kata.sliding_window_mask(seq_len, window)
        timings = {}
        for name, fn, args in (("banded", kata.sliding_window_attention, (q, q, q, window)),
                               ("SDPA + (L, L) mask", F.scaled_dot_product_attention, (q, q, q, mask))):
            fn(*args)
            t0 = time.perf_counter()
            fn(*args)
            timings[name] = time.perf_counter() - t0
        print(f"L={seq_len:5d}, window={window}: " + ", ".join(f"{k} {1e3 * s:.1f} ms" for k, s in timings.items())
              + f"; the mask alone is {mask.numel() / 2**20:.0f} MiB")
