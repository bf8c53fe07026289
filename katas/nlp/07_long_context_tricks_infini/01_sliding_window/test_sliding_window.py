"""Tests for nlp-07-1, sliding-window attention.

Reference: the mask written element by element from its definition;
torch.nn.functional.scaled_dot_product_attention with that mask (float64) for the attention;
FlopCounterMode for the banded cost (at most ~4·L·window·d, where full attention needs 2·L²·d);
the per-position losses recomputed with SDPA and the reference mask plugged into the same model
(random float64 CharGPTs); and, on the trained workbook LM and held-out text, the observed effect:
full attention falls apart past the 64-character training context, a 64-wide window does not.
"""
import time

import numpy as np
import pytest
import torch
import torch._dynamo  # noqa: F401  (FlopCounterMode imports it on first use, ~2 s: do it at collection, untimed)
import torch.nn.functional as F
from hypothesis import example, given, settings
from hypothesis import strategies as st
from torch.utils.flop_counter import FlopCounterMode

from grader import lm
from grader.strategies import dims, seeds
from grader.testing import assert_close, assert_equal, assert_shape, call_unmodified, describe_call, smoke


def ref_mask(seq_len: int, window: int) -> np.ndarray:
    return np.array([[i - window < j <= i for j in range(seq_len)] for i in range(seq_len)])


def random_gpt(seed: int, vocab: int, n_layer: int, n_head: int) -> lm.CharGPT:
    """A float64 CharGPT with random weights (LayerNorms included), drawn from the seed."""
    cfg = lm.LMConfig(vocab_size=vocab, n_layer=n_layer, n_head=n_head, d_model=4 * n_head, d_ff=8, context=8)
    model = lm.CharGPT(cfg).double().eval()
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in model.parameters():
            p.copy_(torch.randn(p.shape, generator=g, dtype=torch.float64) * 0.6)
    return model


def ref_losses(model, tokens: torch.Tensor, window: int | None) -> torch.Tensor:
    """-log p(tokens[t + 1]) at every t, with SDPA and the element-by-element window mask."""
    length = len(tokens)
    mask = torch.from_numpy(ref_mask(length, window if window is not None else length))
    with torch.no_grad():
        logits = model(tokens[None], attention=lambda q, k, v: F.scaled_dot_product_attention(q, k, v, attn_mask=mask))
    return F.cross_entropy(logits[0, :-1].double(), tokens[1:], reduction="none")


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
    with pytest.raises(ValueError):
        kata.sliding_window_attention(q, k, v, 0)
        pytest.fail("sliding_window_attention(q, k, v, window=0) returned instead of raising ValueError")


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


@given(seed=seeds(), vocab=dims(2, 9), length=dims(2, 24), n_layer=dims(1, 2), n_head=dims(1, 2),
       window=st.one_of(st.none(), dims(1, 28)))
@example(seed=0, vocab=5, length=12, n_layer=2, n_head=2, window=None)   # full causal attention
@example(seed=1, vocab=5, length=12, n_layer=2, n_head=2, window=3)
@example(seed=2, vocab=4, length=9, n_layer=1, n_head=1, window=1)       # each token sees only itself
@example(seed=3, vocab=3, length=2, n_layer=1, n_head=2, window=5)       # one target, window past the end
def test_position_losses_match_the_reference_with_the_window_mask(kata, seed, vocab, length, n_layer, n_head, window):
    model = random_gpt(seed, vocab, n_layer, n_head)
    tokens = torch.randint(vocab, (length,), generator=torch.Generator().manual_seed(seed + 1))
    call = describe_call("position_losses", f"<random float64 CharGPT, {n_layer} layer(s)>", tokens, window)
    got = call_unmodified(kata.position_losses, model, tokens, window)
    assert_shape(got, (length - 1,), name="per-position losses", call=call)
    assert got.dtype == torch.float64, f"{call} returned dtype {got.dtype}, expected torch.float64"
    # float64 end to end: only the summation order inside the attention differs.
    assert_close(got, ref_losses(model, tokens, window), rtol=1e-9, atol=1e-10,
                 name="losses (entry t = -log p(tokens[t + 1]))", call=call)
    with pytest.raises(ValueError):
        kata.position_losses(model, tokens, 0)
        pytest.fail("position_losses(..., window=0) returned instead of raising ValueError")


@given(n=dims(1, 40), bucket=dims(1, 12), seed=seeds(), dtype=st.sampled_from([torch.float32, torch.float64]))
@example(n=12, bucket=4, seed=0, dtype=torch.float64)    # whole buckets
@example(n=13, bucket=4, seed=0, dtype=torch.float64)    # a last bucket of one
@example(n=3, bucket=5, seed=0, dtype=torch.float64)     # one short bucket
@example(n=5, bucket=1, seed=0, dtype=torch.float32)
@example(n=40, bucket=7, seed=1, dtype=torch.float32)    # float32 losses still give float64 means
def test_bucket_means(kata, n, bucket, seed, dtype):
    losses = (torch.rand(n, generator=torch.Generator().manual_seed(seed), dtype=torch.float64) * 4).to(dtype)
    call = describe_call("bucket_means", losses, bucket)
    got = call_unmodified(kata.bucket_means, losses, bucket)
    assert np.asarray(got).dtype == np.float64, f"{call} returned dtype {np.asarray(got).dtype}, expected float64"
    want = [float(losses[i:i + bucket].double().mean()) for i in range(0, n, bucket)]
    assert_close(np.asarray(got, dtype=np.float64), np.array(want), rtol=1e-12, atol=1e-12, name="bucket means",
                 call=call)
    with pytest.raises(ValueError):
        kata.bucket_means(losses, 0)
        pytest.fail("bucket_means(losses, 0) returned instead of raising ValueError")


@settings(max_examples=1)  # two passes of the trained model over 512 characters; the text's start is drawn
@given(start=st.integers(0, 110_000 - 512))
@example(start=0)
def test_the_window_keeps_the_trained_model_working_past_its_training_context(kata, start):
    model = kata.workbook_lm()
    tokens = kata.held_out_text(512, start)
    full = kata.position_losses(model, tokens)
    windowed = kata.position_losses(model, tokens, kata.TRAINED_CONTEXT)
    assert full.dtype == windowed.dtype == torch.float64, (
        f"position_losses on the float32 workbook LM returned {full.dtype}: the log-softmax is promised in float64")
    # The trained float32 model; only the attention's summation order differs from the reference.
    for got, window in ((full, None), (windowed, 64)):
        assert_close(got, ref_losses(model, tokens, window), rtol=1e-4, atol=1e-4, name="losses of the trained LM",
                     call=describe_call("position_losses", "workbook_lm()", tokens, window))
    # Positions 0..63 see their whole past through a 64-wide window: the same numbers as full attention.
    assert_close(windowed[:64], full[:64], rtol=1e-5, atol=1e-5, name="window-64 losses at positions < 64",
                 call=describe_call("position_losses", "workbook_lm()", tokens, 64))
    val_loss = lm.metadata()["val_loss"]              # the model's loss on 64-char windows of the whole split
    full_far, window_far = float(full[128:].mean()), float(windowed[128:].mean())
    curves = (f"mean loss (nats/char) past position 128: full attention {full_far:.3f}, window 64 {window_far:.3f}; "
              f"the model's validation loss inside its training context is {val_loss:.3f}")
    assert full_far > val_loss + 1.5, f"{curves}: full attention should fall apart past the training context"
    assert window_far < val_loss + 0.5, f"{curves}: with a 64-wide window every query sees distances it trained on"
    buckets = np.asarray(kata.bucket_means(windowed, 64))
    assert buckets.shape == (8,) and buckets.max() < val_loss + 1.0, (
        f"window 64, mean loss per 64 positions: {buckets.round(3)}: it should stay near {val_loss:.3f} all along")


@pytest.mark.benchmark
def test_benchmark_banded_vs_full(kata):
    heads, d = 8, 64
    sizes = ((256, 32),) if smoke() else ((1024, 128), (4096, 128), (8192, 256))
    for seq_len, window in sizes:
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
