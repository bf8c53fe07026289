"""Tests for arch-01-1, encoder-decoder cross-attention.

Reference: torch.nn.MultiheadAttention, torch.nn.TransformerDecoderLayer and a whole torch.nn.Transformer,
all in float64 with random weights; the learner's functions run on the very same modules (shared weights).
"""
import warnings

import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st
from torch import nn

from grader.strategies import dims, seeds
from grader.testing import assert_close, assert_shape, call_unmodified, describe_call

HEADS = st.sampled_from([1, 2, 3])


def randomize(module: nn.Module, gen: torch.Generator) -> nn.Module:
    """Every parameter (LayerNorm gains and all biases too) drawn from N(0, 0.5²), so none is at its init."""
    with torch.no_grad():
        for p in module.parameters():
            p.copy_(torch.randn(p.shape, generator=gen, dtype=torch.float64) * 0.5)
    return module


def padding_mask(b: int, lk: int, gen: torch.Generator) -> torch.Tensor:
    """bool (B, Lk), True = padded, with at least one real key per row (else every weight is NaN)."""
    mask = torch.rand(b, lk, generator=gen) < 0.5
    mask[torch.arange(b), torch.randint(lk, (b,), generator=gen)] = False
    return mask


def causal_blocked(n: int) -> torch.Tensor:
    """torch's attn_mask convention: True = may NOT attend (the future)."""
    return torch.ones(n, n, dtype=torch.bool).triu(1)


@given(b=dims(1, 3), lq=dims(1, 5), lk=dims(1, 6), n_heads=HEADS, d_head=dims(1, 4), bias=st.booleans(),
       padded=st.booleans(), seed=seeds())
@example(b=2, lq=3, lk=5, n_heads=2, d_head=3, bias=True, padded=True, seed=0)
@example(b=1, lq=1, lk=1, n_heads=1, d_head=1, bias=False, padded=False, seed=1)
@example(b=2, lq=4, lk=2, n_heads=3, d_head=2, bias=True, padded=False, seed=2)
def test_cross_attention_matches_torch(kata, b, lq, lk, n_heads, d_head, bias, padded, seed):
    d = n_heads * d_head
    g = torch.Generator().manual_seed(seed)
    mha = randomize(nn.MultiheadAttention(d, n_heads, bias=bias, batch_first=True).double(), g)
    x = torch.randn(b, lq, d, generator=g, dtype=torch.float64)
    memory = torch.randn(b, lk, d, generator=g, dtype=torch.float64)
    pad = padding_mask(b, lk, g) if padded else None
    call = describe_call(f"attention(..., mha=MultiheadAttention({d}, {n_heads}, bias={bias}))", x, memory,
                         key_padding_mask=pad)
    out, weights = call_unmodified(kata.attention, x, memory, mha, key_padding_mask=pad, fn_name="attention")
    want_out, want_w = mha(x, memory, memory, key_padding_mask=pad, average_attn_weights=False)
    assert_shape(out, (b, lq, d), name="output", call=call)
    assert_shape(weights, (b, n_heads, lq, lk), name="per-head weights", call=call)
    # float64 on both sides; only the summation order differs.
    assert_close(weights, want_w, rtol=1e-9, atol=1e-12, name="per-head weights", call=call)
    assert_close(out, want_out, rtol=1e-9, atol=1e-11, name="output", call=call)


@given(b=dims(1, 3), seq=dims(1, 6), n_heads=HEADS, d_head=dims(1, 4), padded=st.booleans(), seed=seeds())
@example(b=1, seq=4, n_heads=2, d_head=2, padded=False, seed=0)
@example(b=2, seq=1, n_heads=1, d_head=3, padded=False, seed=1)
def test_causal_self_attention_matches_torch(kata, b, seq, n_heads, d_head, padded, seed):
    d = n_heads * d_head
    g = torch.Generator().manual_seed(seed)
    mha = randomize(nn.MultiheadAttention(d, n_heads, batch_first=True).double(), g)
    x = torch.randn(b, seq, d, generator=g, dtype=torch.float64)
    # With a causal mask, a padded key must leave the first key free, or row 0 has nothing to attend to.
    pad = padding_mask(b, seq, g) if padded else None
    if pad is not None:
        pad[:, 0] = False
    call = describe_call("attention", x, x, f"MultiheadAttention({d}, {n_heads})", causal=True,
                         key_padding_mask=pad)
    out, weights = call_unmodified(kata.attention, x, x, mha, causal=True, key_padding_mask=pad, fn_name="attention")
    want_out, want_w = mha(x, x, x, attn_mask=causal_blocked(seq), key_padding_mask=pad,
                           average_attn_weights=False)
    assert_close(weights, want_w, rtol=1e-9, atol=1e-12, name="per-head causal weights", call=call)
    assert_close(out, want_out, rtol=1e-9, atol=1e-11, name="output", call=call)


@given(b=dims(1, 3), lq=dims(1, 4), lk=dims(2, 6), n_heads=HEADS, seed=seeds())
@example(b=1, lq=2, lk=3, n_heads=1, seed=0)
def test_padded_memory_is_invisible(kata, b, lq, lk, n_heads, seed):
    """Padded keys get weight exactly 0, and whatever sits in the padded memory rows cannot reach the output."""
    d = 2 * n_heads
    g = torch.Generator().manual_seed(seed)
    mha = randomize(nn.MultiheadAttention(d, n_heads, batch_first=True).double(), g)
    x = torch.randn(b, lq, d, generator=g, dtype=torch.float64)
    memory = torch.randn(b, lk, d, generator=g, dtype=torch.float64)
    pad = padding_mask(b, lk, g)
    pad[0, -1], pad[0, 0] = True, False      # at least one padded key, and a real one
    call = describe_call("attention", x, memory, f"MultiheadAttention({d}, {n_heads})", key_padding_mask=pad)
    out, weights = kata.attention(x, memory, mha, key_padding_mask=pad)
    blocked = pad[:, None, None, :].expand_as(weights)
    assert_close(weights[blocked], torch.zeros(int(blocked.sum()), dtype=torch.float64), rtol=0, atol=0,
                 name="weights on padded keys", call=call)
    assert_close(weights.sum(-1), torch.ones(b, n_heads, lq, dtype=torch.float64), rtol=0, atol=1e-12,
                 name="weights summed over keys", call=call)
    scrambled = memory.clone()
    scrambled[pad] = torch.randn(int(pad.sum()), d, generator=g, dtype=torch.float64) * 100
    out2, _ = kata.attention(x, scrambled, mha, key_padding_mask=pad)
    assert_close(out2, out, rtol=1e-9, atol=1e-10, name="output after changing only padded memory rows", call=call)


@given(lq=dims(1, 5), lk=dims(1, 5))
@example(lq=2, lk=3)
def test_causal_needs_square(kata, lq, lk):
    if lq == lk:
        lk += 1
    mha = nn.MultiheadAttention(4, 2, batch_first=True)
    with pytest.raises(ValueError):
        kata.attention(torch.randn(1, lq, 4), torch.randn(1, lk, 4), mha, causal=True)
        pytest.fail(f"attention(Lq={lq}, Lk={lk}, causal=True) returned instead of raising ValueError")


@given(b=dims(1, 3), lt=dims(1, 5), ls=dims(1, 5), n_heads=HEADS, d_head=dims(1, 3), d_ff=dims(1, 12),
       norm_first=st.booleans(), activation=st.sampled_from(["relu", "gelu"]), padded=st.booleans(), seed=seeds())
@example(b=2, lt=3, ls=4, n_heads=2, d_head=2, d_ff=8, norm_first=False, activation="relu", padded=True, seed=0)
@example(b=1, lt=4, ls=2, n_heads=1, d_head=3, d_ff=5, norm_first=True, activation="gelu", padded=False, seed=1)
def test_decoder_layer_matches_torch(kata, b, lt, ls, n_heads, d_head, d_ff, norm_first, activation, padded, seed):
    d = n_heads * d_head
    g = torch.Generator().manual_seed(seed)
    layer = nn.TransformerDecoderLayer(d, n_heads, d_ff, dropout=0.0, activation=activation, batch_first=True,
                                       norm_first=norm_first).double().eval()
    randomize(layer, g)
    tgt = torch.randn(b, lt, d, generator=g, dtype=torch.float64)
    memory = torch.randn(b, ls, d, generator=g, dtype=torch.float64)
    pad = padding_mask(b, ls, g) if padded else None
    call = describe_call(f"decoder_layer(TransformerDecoderLayer({d}, {n_heads}, {d_ff}, activation={activation!r}, "
                         f"norm_first={norm_first}), ...)", tgt, memory, memory_key_padding_mask=pad)
    got = call_unmodified(kata.decoder_layer, layer, tgt, memory, pad, fn_name="decoder_layer")
    want = layer(tgt, memory, tgt_mask=causal_blocked(lt), memory_key_padding_mask=pad)
    assert_shape(got, (b, lt, d), call=call)
    # float64; three attention/FFN blocks with weights of scale 0.5 stay well conditioned.
    assert_close(got, want, rtol=1e-8, atol=1e-10, call=call)


@settings(max_examples=15)
@given(b=dims(1, 2), ls=dims(1, 5), lt=dims(1, 5), n_layers=dims(1, 2), norm_first=st.booleans(), seed=seeds())
@example(b=2, ls=4, lt=3, n_layers=2, norm_first=False, seed=0)
def test_stacked_layers_reproduce_nn_transformer(kata, b, ls, lt, n_layers, norm_first, seed):
    """nn.Transformer = encoder, then the decoder layers on its memory, then the decoder's final norm."""
    d, n_heads = 6, 2
    g = torch.Generator().manual_seed(seed)
    with warnings.catch_warnings():  # "enable_nested_tensor is True, but ... norm_first": irrelevant here
        warnings.simplefilter("ignore", UserWarning)
        model = nn.Transformer(d, n_heads, num_encoder_layers=1, num_decoder_layers=n_layers, dim_feedforward=10,
                               dropout=0.0, batch_first=True, norm_first=norm_first)
    model = model.double().eval()
    randomize(model, g)
    src = torch.randn(b, ls, d, generator=g, dtype=torch.float64)
    tgt = torch.randn(b, lt, d, generator=g, dtype=torch.float64)
    pad = padding_mask(b, ls, g)
    want = model(src, tgt, tgt_mask=causal_blocked(lt), src_key_padding_mask=pad, memory_key_padding_mask=pad)
    memory = model.encoder(src, src_key_padding_mask=pad)
    y = tgt
    for layer in model.decoder.layers:
        y = kata.decoder_layer(layer, y, memory, pad)
    y = model.decoder.norm(y)
    call = describe_call(f"decoder_layer over the {n_layers} decoder layer(s) of nn.Transformer(norm_first={norm_first})",
                         src, tgt, memory_key_padding_mask=pad)
    assert_close(y, want, rtol=1e-8, atol=1e-10, name="nn.Transformer output", call=call)


@given(lt=dims(2, 6), ls=dims(1, 5), cut=st.integers(0, 4), seed=seeds())
@example(lt=3, ls=2, cut=0, seed=0)
def test_decoder_is_causal_and_reads_the_memory(kata, lt, ls, cut, seed):
    """Output t depends on tgt[:t+1] only, and on every real memory row."""
    cut = min(cut, lt - 2)
    g = torch.Generator().manual_seed(seed)
    layer = randomize(nn.TransformerDecoderLayer(4, 2, 8, dropout=0.0, batch_first=True).double().eval(), g)
    tgt = torch.randn(1, lt, 4, generator=g, dtype=torch.float64)
    memory = torch.randn(1, ls, 4, generator=g, dtype=torch.float64)
    out = kata.decoder_layer(layer, tgt, memory)
    changed_future = tgt.clone()
    changed_future[:, cut + 1:] += torch.randn(1, lt - cut - 1, 4, generator=g, dtype=torch.float64)
    out_future = kata.decoder_layer(layer, changed_future, memory)
    call = describe_call("decoder_layer", tgt, memory)
    assert_close(out_future[:, :cut + 1], out[:, :cut + 1], rtol=1e-10, atol=1e-12,
                 name=f"outputs 0..{cut} after changing only tgt[{cut + 1}:] (the future must be invisible)", call=call)
    out_mem = kata.decoder_layer(layer, tgt, memory + 1.0 + torch.rand(1, ls, 4, generator=g, dtype=torch.float64))
    moved = (out_mem - out).abs().amax(-1)
    assert bool((moved > 1e-6).all()), (f"{call}: changing the memory left output positions "
                                        f"{torch.nonzero(moved <= 1e-6)[:, 1].tolist()} unchanged: "
                                        "is the cross-attention reading tgt instead of memory?")
