"""Tests for nlp-03-2, multi-head attention and per-head heatmaps.

Reference: torch.nn.MultiheadAttention (batch_first=True, float64) with its weights copied into
yours, per head (average_attn_weights=False) and averaged; per-head scores recomputed from the
projection weights; the head layout checked element by element; the figure's structure and data.
"""
import math

import numpy as np
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st
from torch import nn

from grader.strategies import dims, seeds
from grader.testing import assert_close, assert_equal, assert_shape, describe_call

HEADS = st.sampled_from([1, 2, 3, 4])
MASKS = st.sampled_from(["none", "random", "causal"])
# The mask shapes the docstring promises: anything broadcastable to (B, n_heads, Lq, Lk).
MASK_FORMS = st.sampled_from(["(Lq, Lk)", "(B, 1, Lq, Lk)", "(B, H, Lq, Lk)", "(B, 1, 1, Lk)"])


def random_mha(d_model: int, n_heads: int, bias: bool, gen: torch.Generator) -> nn.MultiheadAttention:
    """A float64 nn.MultiheadAttention with every parameter (biases too) drawn from N(0, 0.5²)."""
    ref = nn.MultiheadAttention(d_model, n_heads, bias=bias, batch_first=True).double()
    with torch.no_grad():
        for p in ref.parameters():
            p.copy_(torch.randn(p.shape, generator=gen, dtype=torch.float64) * 0.5)
    return ref


def copy_weights(mine: nn.Module, ref: nn.MultiheadAttention) -> None:
    d = ref.embed_dim
    with torch.no_grad():
        for i, name in enumerate(["q_proj", "k_proj", "v_proj"]):
            getattr(mine, name).weight.copy_(ref.in_proj_weight[i * d:(i + 1) * d])
            if ref.in_proj_bias is not None:
                getattr(mine, name).bias.copy_(ref.in_proj_bias[i * d:(i + 1) * d])
        mine.out_proj.weight.copy_(ref.out_proj.weight)
        if ref.out_proj.bias is not None:
            mine.out_proj.bias.copy_(ref.out_proj.bias)


def make_mask(kind: str, lq: int, lk: int, gen: torch.Generator) -> torch.Tensor | None:
    """Bool (Lq, Lk) mask, True = may attend, with at least one True per row."""
    if kind == "none":
        return None
    if kind == "causal":
        return torch.ones(lq, lk, dtype=torch.bool).tril()
    mask = torch.rand(lq, lk, generator=gen) < 0.5
    mask[torch.arange(lq), torch.randint(lk, (lq,), generator=gen)] = True
    return mask


def mask_in_form(kind: str, form: str, b: int, n_heads: int, lq: int, lk: int,
                 gen: torch.Generator) -> torch.Tensor | None:
    """A mask of the given kind in one of the broadcastable shapes, one allowed key per row at least."""
    if kind == "none":
        return None
    if form == "(Lq, Lk)" or kind == "causal":
        base = make_mask(kind, lq, lk, gen)
        return base if form == "(Lq, Lk)" else base.expand(b, 1, lq, lk).clone()
    if form == "(B, 1, 1, Lk)":   # a key-padding mask: each sequence keeps at least one key
        mask = torch.rand(b, 1, 1, lk, generator=gen) < 0.5
        mask[torch.arange(b), 0, 0, torch.randint(lk, (b,), generator=gen)] = True
        return mask
    heads = 1 if form == "(B, 1, Lq, Lk)" else n_heads
    return torch.stack([torch.stack([make_mask(kind, lq, lk, gen) for _ in range(heads)]) for _ in range(b)])


@given(b=dims(1, 3), seq=dims(1, 6), n_heads=HEADS, d_head=dims(1, 5), seed=seeds())
@example(b=1, seq=3, n_heads=2, d_head=2, seed=0)
def test_split_heads_layout(kata, b, seq, n_heads, d_head, seed):
    x = torch.randn(b, seq, n_heads * d_head, generator=torch.Generator().manual_seed(seed))
    call = describe_call("split_heads", x, n_heads)
    got = kata.split_heads(x, n_heads)
    assert_shape(got, (b, n_heads, seq, d_head), call=call)
    want = np.stack([x.numpy()[:, :, h * d_head:(h + 1) * d_head] for h in range(n_heads)], axis=1)
    assert_equal(got, want, call=call)  # pure data movement: exact
    back = kata.merge_heads(got)
    assert_equal(back, x, name="merge_heads(split_heads(x))", call=describe_call("merge_heads", got))


@given(b=dims(1, 3), seq=dims(1, 6), n_heads=HEADS, d_head=dims(1, 5), seed=seeds())
@example(b=2, seq=3, n_heads=2, d_head=2, seed=0)
def test_merge_heads_layout(kata, b, seq, n_heads, d_head, seed):
    x = torch.randn(b, n_heads, seq, d_head, generator=torch.Generator().manual_seed(seed))
    call = describe_call("merge_heads", x)
    got = kata.merge_heads(x)
    want = np.concatenate([x.numpy()[:, h] for h in range(n_heads)], axis=-1)  # heads side by side
    assert_equal(got, want, call=call)


@given(b=dims(1, 3), lq=dims(1, 6), lk=dims(1, 6), n_heads=HEADS, d_head=dims(1, 4), bias=st.booleans(),
       cross=st.booleans(), masked=MASKS, form=MASK_FORMS, seed=seeds())
@example(b=2, lq=4, lk=4, n_heads=2, d_head=3, bias=True, cross=False, masked="none", form="(Lq, Lk)", seed=0)
@example(b=1, lq=3, lk=5, n_heads=3, d_head=2, bias=False, cross=True, masked="random", form="(Lq, Lk)", seed=1)
@example(b=1, lq=1, lk=1, n_heads=1, d_head=1, bias=True, cross=False, masked="causal", form="(Lq, Lk)", seed=2)
@example(b=2, lq=3, lk=4, n_heads=2, d_head=2, bias=True, cross=True, masked="random", form="(B, 1, 1, Lk)", seed=3)
@example(b=2, lq=3, lk=3, n_heads=2, d_head=2, bias=True, cross=False, masked="random", form="(B, H, Lq, Lk)", seed=4)
def test_matches_torch_multihead_attention(kata, b, lq, lk, n_heads, d_head, bias, cross, masked, form, seed):
    d_model = n_heads * d_head
    if not cross:
        lk = lq
    g = torch.Generator().manual_seed(seed)
    ref = random_mha(d_model, n_heads, bias, g)
    mine = kata.MultiHeadAttention(d_model, n_heads, bias=bias).double()
    copy_weights(mine, ref)
    query = torch.randn(b, lq, d_model, generator=g, dtype=torch.float64)
    key = torch.randn(b, lk, d_model, generator=g, dtype=torch.float64) if cross else query
    value = torch.randn(b, lk, d_model, generator=g, dtype=torch.float64) if cross else query
    mask = mask_in_form(masked, form, b, n_heads, lq, lk, g)
    call = describe_call(f"MultiHeadAttention(d_model={d_model}, n_heads={n_heads})", query, key, value, mask=mask)

    out, weights = mine(query, key, value, mask=mask)
    # nn.MultiheadAttention: True = blocked, and a 3-D mask is (B * n_heads, Lq, Lk).
    torch_mask = None if mask is None else ~mask.expand(b, n_heads, lq, lk).reshape(b * n_heads, lq, lk)
    want_out, want_w = ref(query, key, value, attn_mask=torch_mask, average_attn_weights=False)
    _, want_avg = ref(query, key, value, attn_mask=torch_mask, average_attn_weights=True)

    assert_shape(weights, (b, n_heads, lq, lk), name="per-head weights", call=call)
    # float64 both sides; only the summation order differs.
    assert_close(weights, want_w, rtol=1e-9, atol=1e-11, name="per-head weights", call=call)
    assert_close(weights.mean(1), want_avg, rtol=1e-9, atol=1e-11, name="head-averaged weights", call=call)
    assert_close(out, want_out, rtol=1e-9, atol=1e-10, name="output", call=call)


@given(seq=dims(2, 6), n_heads=st.sampled_from([2, 3, 5]), d_head=dims(1, 4), seed=seeds())
@example(seq=4, n_heads=2, d_head=4, seed=0)
def test_each_head_scales_by_its_own_width(kata, seq, n_heads, d_head, seed):
    """Per head h: log w_h - mean = (q_h · k_h)/sqrt(d_head) - mean, with q_h, k_h the head's projection slices."""
    d_model = n_heads * d_head
    torch.manual_seed(seed)
    mine = kata.MultiHeadAttention(d_model, n_heads).double()
    x = torch.randn(1, seq, d_model, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    with torch.no_grad():
        _, weights = mine(x, x, x)
        q, k = mine.q_proj(x)[0], mine.k_proj(x)[0]
    call = describe_call(f"MultiHeadAttention(d_model={d_model}, n_heads={n_heads})", x, x, x)
    for h in range(n_heads):
        sl = slice(h * d_head, (h + 1) * d_head)
        scores = q[:, sl] @ k[:, sl].T / math.sqrt(d_head)
        log_w = torch.log(weights[0, h])
        # float64; default-initialised projections keep the weights far from underflow.
        assert_close(log_w - log_w.mean(-1, keepdim=True), scores - scores.mean(-1, keepdim=True),
                     rtol=1e-7, atol=1e-8, name=f"head {h}'s centred log-weights (= its scaled scores)", call=call)


def image_axes(fig) -> list:
    return [ax for ax in fig.axes if ax.get_images()]


@settings(max_examples=5)  # a figure per example costs ~50 ms; the structure does not depend on size
@given(n_heads=dims(1, 4), lq=dims(1, 5), lk=dims(1, 5), seed=seeds(), with_tokens=st.booleans())
@example(n_heads=3, lq=4, lk=4, seed=0, with_tokens=True)
@example(n_heads=2, lq=2, lk=5, seed=1, with_tokens=False)
def test_plot_head_heatmaps(kata, n_heads, lq, lk, seed, with_tokens):
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    if with_tokens:
        lk = lq
    weights = torch.softmax(torch.randn(n_heads, lq, lk, generator=torch.Generator().manual_seed(seed)) * 2, -1)
    tokens = [f"t{i}" for i in range(lq)] if with_tokens else None
    call = describe_call("plot_head_heatmaps", weights, tokens=tokens)
    fig = kata.plot_head_heatmaps(weights, tokens=tokens)
    try:
        assert isinstance(fig, Figure), f"{call} returned {type(fig).__name__}, expected a matplotlib Figure"
        axes = image_axes(fig)
        assert len(axes) == n_heads, f"{call}: {len(axes)} axes hold an image, expected one per head ({n_heads})"
        for h, ax in enumerate(axes):
            assert ax.get_title() == f"head {h}", f"{call}: axes {h} is titled {ax.get_title()!r}, expected 'head {h}'"
            assert len(ax.get_images()) == 1, f"{call}: axes {h} holds {len(ax.get_images())} images, expected 1"
            assert ax.get_xlabel() == "key" and ax.get_ylabel() == "query", \
                f"{call}: axes {h} labels are x={ax.get_xlabel()!r}, y={ax.get_ylabel()!r}; expected x='key', y='query'"
            data = np.asarray(ax.get_images()[0].get_array(), dtype=np.float64)
            # imshow keeps the array it was given; float32 weights -> 1e-6.
            assert_close(data, weights[h], rtol=0, atol=1e-6, name=f"image of head {h} (rows = queries)", call=call)
            if tokens is not None:
                xt = [t.get_text() for t in ax.get_xticklabels()]
                yt = [t.get_text() for t in ax.get_yticklabels()]
                assert xt == tokens and yt == tokens, f"{call}: head {h} tick labels x={xt}, y={yt}; expected {tokens} on both"
    finally:
        plt.close(fig)
