"""Tests for nlp-06-1, the KV cache.

Reference: the model recomputed from its parameters with torch.nn.functional (layer_norm, linear,
gelu, scaled_dot_product_attention with is_causal=True) in float64; cached, chunked and uncached
runs must all give its logits. The saving is counted, not timed: FlopCounterMode per decoding step
must equal the closed form (quadratic growth without a cache, linear with one). A benchmark test
prints real timings.
"""
import time

import numpy as np
import pytest
import torch
import torch._dynamo  # noqa: F401  (FlopCounterMode imports it on first use, ~2 s: do it at collection, untimed)
import torch.nn.functional as F
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import dims, seeds
from grader.testing import assert_close, assert_equal, assert_shape, describe_call, smoke

CONFIGS = st.sampled_from([(4, 1, 1), (8, 2, 1), (8, 2, 2), (6, 3, 2)])   # (d_model, n_heads, n_layers)


def make_model(kata, vocab: int, d: int, heads: int, layers: int, max_len: int, seed: int):
    torch.manual_seed(seed)
    model = kata.TinyDecoder(vocab, d, heads, layers, max_len).double().eval()
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for p in model.parameters():   # larger than the default init, so attention patterns are sharp
            p.add_(torch.randn(p.shape, generator=g, dtype=torch.float64) * 0.3)
    return model


def reference_logits(model, idx: torch.Tensor) -> torch.Tensor:
    """The decoder, recomputed from its parameters with torch.nn.functional."""
    b, t = idx.shape
    d = model.tok_emb.weight.shape[1]
    x = model.tok_emb.weight[idx] + model.pos_emb.weight[:t]
    for blk in model.blocks:
        h = F.layer_norm(x, (d,), blk.ln1.weight, blk.ln1.bias, blk.ln1.eps)
        heads = blk.attn.n_heads
        q, k, v = (z.view(b, t, heads, d // heads).transpose(1, 2)
                   for z in F.linear(h, blk.attn.qkv.weight, blk.attn.qkv.bias).split(d, dim=-1))
        a = F.scaled_dot_product_attention(q, k, v, is_causal=True).transpose(1, 2).reshape(b, t, d)
        x = x + F.linear(a, blk.attn.proj.weight, blk.attn.proj.bias)
        h = F.layer_norm(x, (d,), blk.ln2.weight, blk.ln2.bias, blk.ln2.eps)
        x = x + F.linear(F.gelu(F.linear(h, blk.mlp[0].weight, blk.mlp[0].bias)), blk.mlp[2].weight, blk.mlp[2].bias)
    x = F.layer_norm(x, (d,), model.ln_f.weight, model.ln_f.bias, model.ln_f.eps)
    return F.linear(x, model.lm_head.weight)


def step_flops(d: int, layers: int, vocab: int, new: int, total: int) -> int:
    """Matmul FLOPs (2 per multiply-add) of one forward over `new` tokens attending to `total` keys."""
    dense = new * (layers * (2 * d * 3 * d + 2 * d * d + 2 * d * 4 * d + 2 * 4 * d * d) + 2 * d * vocab)
    attention = layers * (2 * new * total * d + 2 * new * total * d)   # q kᵀ and weights @ v, all heads
    return dense + attention


@given(b=dims(1, 3), vocab=dims(2, 12), cfg=CONFIGS, seq=dims(1, 10), seed=seeds())
@example(b=2, vocab=5, cfg=(8, 2, 2), seq=6, seed=0)
@example(b=1, vocab=3, cfg=(4, 1, 1), seq=1, seed=1)
def test_forward_without_cache_matches_reference(kata, b, vocab, cfg, seq, seed):
    d, heads, layers = cfg
    model = make_model(kata, vocab, d, heads, layers, 12, seed)
    idx = torch.randint(vocab, (b, seq), generator=torch.Generator().manual_seed(seed))
    call = describe_call(f"TinyDecoder(vocab={vocab}, d_model={d}, n_heads={heads}, n_layers={layers})", idx)
    with torch.no_grad():
        got = model(idx)
    assert_shape(got, (b, seq, vocab), name="logits", call=call)
    # float64 throughout; only the summation order differs from the reference.
    assert_close(got, reference_logits(model, idx), rtol=1e-9, atol=1e-9, name="logits", call=call)


@given(b=dims(1, 3), k_len=dims(1, 4), new=dims(1, 4), heads=dims(1, 3), d_head=dims(1, 4), seed=seeds())
@example(b=1, k_len=2, new=1, heads=2, d_head=3, seed=0)
def test_cache_update_appends_along_the_sequence_axis(kata, b, k_len, new, heads, d_head, seed):
    g = torch.Generator().manual_seed(seed)
    k1, v1 = torch.randn(2, b, heads, k_len, d_head, generator=g)
    k2, v2 = torch.randn(2, b, heads, new, d_head, generator=g)
    cache = kata.KVCache(2)
    call = describe_call("KVCache.update", 1, k1, v1)
    keys, values = cache.update(1, k1, v1)
    assert_equal(keys, k1, name="keys after the first update", call=call)
    assert_equal(values, v1, name="values after the first update", call=call)
    call = describe_call("KVCache.update", 1, k2, v2)
    keys, values = cache.update(1, k2, v2)
    assert_shape(keys, (b, heads, k_len + new, d_head), name="keys after the second update", call=call)
    assert_equal(keys, torch.cat([k1, k2], dim=2), name="keys (old positions first)", call=call)
    assert_equal(values, torch.cat([v1, v2], dim=2), name="values (old positions first)", call=call)
    assert cache.seq_len(1) == k_len + new and cache.seq_len(0) == 0, (
        f"after two updates of layer 1 the cache holds seq_len(1)={cache.seq_len(1)} (expected {k_len + new}) and "
        f"seq_len(0)={cache.seq_len(0)} (expected 0: each layer has its own entry)")


@given(b=dims(1, 2), vocab=dims(2, 10), cfg=CONFIGS, seq=dims(2, 12), seed=seeds(), data=st.data())
@example(b=1, vocab=4, cfg=(8, 2, 2), seq=6, seed=0, data=None)
def test_chunked_forward_with_cache_matches_the_full_forward(kata, b, vocab, cfg, seq, seed, data):
    """Feeding the sequence in chunks (prefill, then pieces, then single tokens) changes nothing."""
    d, heads, layers = cfg
    model = make_model(kata, vocab, d, heads, layers, 12, seed)
    idx = torch.randint(vocab, (b, seq), generator=torch.Generator().manual_seed(seed))
    if data is None:
        cuts = [0, 3, 5, 6]   # chunks of 3, 2 and 1 tokens
    else:
        inner = data.draw(st.lists(st.integers(1, seq - 1), unique=True, max_size=4), label="cut points")
        cuts = sorted({0, seq, *inner})
    cache = kata.KVCache(layers)
    with torch.no_grad():
        pieces = [model(idx[:, a:e], cache) for a, e in zip(cuts, cuts[1:], strict=False)]
    chunks = [e - a for a, e in zip(cuts, cuts[1:], strict=False)]
    call = describe_call(f"TinyDecoder(...) fed chunks of {chunks} tokens through one KVCache", idx)
    got = torch.cat(pieces, dim=1)
    # float64; cached keys are the same numbers the full forward computes.
    assert_close(got, reference_logits(model, idx), rtol=1e-9, atol=1e-9, name="logits of all chunks", call=call)
    for layer in range(layers):
        assert cache.seq_len(layer) == seq, f"{call}: layer {layer} caches {cache.seq_len(layer)} positions, expected {seq}"
    assert_shape(cache.keys[0], (b, heads, seq, d // heads), name="cache.keys[0]", call=call)
    blk = model.blocks[0]
    x0 = model.tok_emb.weight[idx] + model.pos_emb.weight[:seq]
    h = F.layer_norm(x0, (d,), blk.ln1.weight, blk.ln1.bias, blk.ln1.eps)
    k0 = F.linear(h, blk.attn.qkv.weight, blk.attn.qkv.bias)[..., d:2 * d].view(b, seq, heads, d // heads).transpose(1, 2)
    assert_close(cache.keys[0], k0, rtol=1e-9, atol=1e-9, name="cache.keys[0] (layer-0 keys of every position)", call=call)


@given(vocab=dims(2, 8), max_len=dims(2, 8), seed=seeds())
def test_positions_past_max_len_are_rejected(kata, vocab, max_len, seed):
    model = make_model(kata, vocab, 4, 1, 1, max_len, seed)
    cache = kata.KVCache(1)
    with torch.no_grad():
        model(torch.zeros(1, max_len, dtype=torch.long), cache)
        with pytest.raises(ValueError):
            model(torch.zeros(1, 1, dtype=torch.long), cache)
            pytest.fail(f"position {max_len} was accepted with max_len={max_len}; expected ValueError")
        with pytest.raises(ValueError):    # without a cache too: past = 0
            model(torch.zeros(1, max_len + 1, dtype=torch.long))
            pytest.fail(f"{max_len + 1} tokens were accepted without a cache with max_len={max_len}; expected ValueError")


@given(b=dims(1, 3), vocab=dims(2, 12), cfg=CONFIGS, prompt_len=dims(1, 5), n_new=dims(1, 7), seed=seeds())
@example(b=2, vocab=7, cfg=(8, 2, 2), prompt_len=3, n_new=6, seed=0)
@example(b=1, vocab=3, cfg=(4, 1, 1), prompt_len=1, n_new=1, seed=1)
def test_cached_and_uncached_generation_agree_with_the_reference(kata, b, vocab, cfg, prompt_len, n_new, seed):
    d, heads, layers = cfg
    model = make_model(kata, vocab, d, heads, layers, 12, seed)
    prompt = torch.randint(vocab, (b, prompt_len), generator=torch.Generator().manual_seed(seed))
    results = {}
    for use_cache in (True, False):
        call = describe_call("generate", f"TinyDecoder(d_model={d}, n_layers={layers})", prompt, n_new,
                             use_cache=use_cache)
        tokens, logits = kata.generate(model, prompt, n_new, use_cache=use_cache)
        assert_shape(tokens, (b, n_new), name="tokens", call=call)
        assert_shape(logits, (b, n_new, vocab), name="logits", call=call)
        assert_equal(tokens, logits.argmax(-1), name="tokens (the argmax of each step's logits)", call=call)
        full = torch.cat([prompt, tokens], dim=1)
        with torch.no_grad():
            want = reference_logits(model, full)[:, prompt_len - 1:prompt_len - 1 + n_new]
        # float64; the logits of step i are the reference's at position prompt_len - 1 + i.
        assert_close(logits, want, rtol=1e-9, atol=1e-9, name="step logits", call=call)
        results[use_cache] = tokens
    assert_equal(results[True], results[False], name="tokens with the cache (vs without)",
                 call=describe_call("generate", prompt, n_new))


@given(b=dims(1, 2), prompt_len=dims(1, 4), n_new=dims(1, 5), seed=seeds())
@example(b=1, prompt_len=3, n_new=4, seed=0)
def test_generate_feeds_the_model_what_use_cache_says(kata, b, prompt_len, n_new, seed):
    """n_new model calls: without the cache each reads the whole sequence so far, with it the prompt once and
    then one token per call (recorded with a forward pre-hook on the model)."""
    model = make_model(kata, 5, 4, 1, 1, 12, seed)
    prompt = torch.randint(5, (b, prompt_len), generator=torch.Generator().manual_seed(seed))
    for use_cache, want in ((False, [prompt_len + i for i in range(n_new)]), (True, [prompt_len] + [1] * (n_new - 1))):
        lengths: list[int] = []
        handle = model.register_forward_pre_hook(lambda m, args, kwargs, seen=lengths: seen.append(args[0].shape[1]),
                                                 with_kwargs=True)
        try:
            kata.generate(model, prompt, n_new, use_cache=use_cache)
        finally:
            handle.remove()
        assert lengths == want, (f"generate(..., prompt of {prompt_len}, n_new={n_new}, use_cache={use_cache}) ran the "
                                 f"model on {lengths} tokens per call, expected {want}")


@settings(max_examples=10)  # FlopCounterMode is a dispatch mode: every op is intercepted
@given(b=dims(1, 2), vocab=dims(2, 12), cfg=CONFIGS, prompt_len=dims(1, 4), n_new=dims(2, 6), seed=seeds())
@example(b=1, vocab=5, cfg=(8, 2, 2), prompt_len=3, n_new=6, seed=0)
def test_flops_per_step_quadratic_without_cache_linear_with_it(kata, b, vocab, cfg, prompt_len, n_new, seed):
    d, heads, layers = cfg
    model = make_model(kata, vocab, d, heads, layers, 12, seed)
    prompt = torch.randint(vocab, (b, prompt_len), generator=torch.Generator().manual_seed(seed))
    p = prompt_len
    want = {False: [b * step_flops(d, layers, vocab, p + i, p + i) for i in range(n_new)],
            True: [b * step_flops(d, layers, vocab, p if i == 0 else 1, p + i) for i in range(n_new)]}
    for use_cache in (False, True):
        call = describe_call("decode_flops", f"TinyDecoder(d_model={d}, n_layers={layers}, vocab={vocab})", prompt,
                             n_new, use_cache=use_cache)
        got = [int(x) for x in kata.decode_flops(model, prompt, n_new, use_cache=use_cache)]
        hint = ""
        if len(got) == n_new and use_cache and got[-1] == want[False][-1]:
            hint = "\n  the cached steps cost as much as uncached ones: is the whole sequence still fed every step?"
        elif len(got) == n_new and got == list(np.cumsum(want[use_cache])):
            hint = "\n  these are running totals: use one FlopCounterMode per model call"
        assert got == want[use_cache], (
            f"{call} counted {got} FLOPs per step, expected {want[use_cache]}\n  per step: 24·d²·layers·T + 2·d·V·T "
            f"(dense) + 4·T·S·d·layers (attention), T new tokens, S keys; b={b}" + hint)
    # what the counts show: the per-step cost grows quadratically without a cache, linearly with one.
    assert np.all(np.diff(want[False], 2) > 0) and np.all(np.diff(want[True][1:], 2) == 0), "the closed form itself"


@pytest.mark.benchmark
def test_benchmark_generation_speed(kata):
    torch.manual_seed(0)
    model = kata.TinyDecoder(256, 128, 4, 4, 512).eval()
    prompt = torch.randint(256, (1, 16))
    for n_new in (4,) if smoke() else (32, 64, 128):
        times = {}
        for use_cache in (True, False):
            t0 = time.perf_counter()
            kata.generate(model, prompt, n_new, use_cache=use_cache)
            times[use_cache] = time.perf_counter() - t0
        flops = {u: sum(kata.decode_flops(model, prompt, n_new, use_cache=u)) for u in (True, False)}
        print(f"{n_new} new tokens: cache {times[True]:.3f} s, no cache {times[False]:.3f} s "
              f"(speed-up {times[False] / times[True]:.1f}x); FLOPs: "
              f"cache {flops[True] / 1e9:.2f} GFLOP, no cache {flops[False] / 1e9:.2f} GFLOP")
