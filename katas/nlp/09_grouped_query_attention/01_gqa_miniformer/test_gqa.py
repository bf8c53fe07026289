"""Tests for nlp-09-1, grouped-query attention in the mini-former.

Reference: torch.nn.functional.scaled_dot_product_attention(enable_gqa=True) in float64 on your
module's projections (outputs; weights via identity values); torch.nn.MultiheadAttention when
groups = heads; the multi-query closed form (one K and V broadcast over the heads) when groups = 1;
the mean-pooled K/V heads recomputed in numpy; and a float64 reference forward of the converted
mini-former written with SDPA.
"""
import math

import numpy as np
import torch
import torch.nn.functional as F
from hypothesis import example, given
from hypothesis import strategies as st
from torch import nn

from grader.strategies import dims, seeds
from grader.testing import assert_close, assert_equal, assert_shape, describe_call

# (n_heads, n_kv_heads) pairs with n_kv_heads dividing n_heads
HEAD_GROUPS = st.sampled_from([(1, 1), (2, 1), (2, 2), (4, 1), (4, 2), (4, 4), (6, 2), (6, 3), (8, 2)])
MASKS = st.sampled_from(["none", "random", "causal"])
# Every mask shape the docstring promises: anything broadcastable to (B, n_heads, Lq, Lk).
MASK_FORMS = st.sampled_from(["(Lq, Lk)", "(B, 1, Lq, Lk)", "(B, H, Lq, Lk)", "(B, 1, 1, Lk)"])
TOL = 1e-10  # float64 both sides; only the summation order differs


def randomize(module: nn.Module, gen: torch.Generator, scale: float = 0.5) -> None:
    with torch.no_grad():
        for name, p in module.named_parameters():
            noise = torch.randn(p.shape, generator=gen, dtype=torch.float64)
            is_norm_scale = "norm" in name and name.endswith("weight")
            p.copy_(1.0 + 0.2 * noise if is_norm_scale else scale * noise)


def make_mask(kind: str, lq: int, lk: int, gen: torch.Generator) -> torch.Tensor | None:
    if kind == "none":
        return None
    if kind == "causal":
        return torch.ones(lq, lk, dtype=torch.bool).tril()
    mask = torch.rand(lq, lk, generator=gen) < 0.5
    mask[torch.arange(lq), torch.randint(lk, (lq,), generator=gen)] = True   # every query sees something
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
    n = 1 if form == "(B, 1, Lq, Lk)" else n_heads
    return torch.stack([torch.stack([make_mask(kind, lq, lk, gen) for _ in range(n)]) for _ in range(b)])


def heads(x: torch.Tensor, n: int) -> torch.Tensor:
    b, seq, width = x.shape
    return x.view(b, seq, n, width // n).transpose(1, 2)


def sdpa_gqa(attn, query, key, value, mask, wk=None, bk=None, wv=None, bv=None):
    """Reference GQA via SDPA(enable_gqa=True); optionally with K/V weights given explicitly."""
    wk = attn.k_proj.weight if wk is None else wk
    wv = attn.v_proj.weight if wv is None else wv
    bk = attn.k_proj.bias if bk is None else bk
    bv = attn.v_proj.bias if bv is None else bv
    n_kv = wk.shape[0] // attn.d_head
    q = heads(F.linear(query, attn.q_proj.weight, attn.q_proj.bias), attn.n_heads)
    k, v = heads(F.linear(key, wk, bk), n_kv), heads(F.linear(value, wv, bv), n_kv)
    out = F.scaled_dot_product_attention(q, k, v, attn_mask=mask, enable_gqa=True)
    eye = torch.eye(k.shape[2], dtype=q.dtype).expand(q.shape[0], n_kv, -1, -1)
    weights = F.scaled_dot_product_attention(q, k, eye, attn_mask=mask, enable_gqa=True)
    merged = out.transpose(1, 2).reshape(query.shape[0], query.shape[1], -1)
    return F.linear(merged, attn.out_proj.weight, attn.out_proj.bias), weights


def pooled(w: np.ndarray, n_kv: int, n_heads: int, d_head: int) -> np.ndarray:
    """Mean of the original heads g*r .. g*r + r - 1 for each kv head g (rows of a weight, or a bias)."""
    r = n_heads // n_kv
    return w.reshape(n_kv, r, d_head, *w.shape[1:]).mean(axis=1).reshape(n_kv * d_head, *w.shape[1:])


def layout_hint(got: torch.Tensor, x: torch.Tensor, n_rep: int) -> str:
    if got.shape == (x.shape[0], x.shape[1] * n_rep, *x.shape[2:]) and torch.equal(got, x.repeat(1, n_rep, 1, 1)):
        return "the whole block of kv heads tiled n_rep times (.repeat); each head must repeat in place (repeat_interleave)"
    return ""


@given(b=dims(1, 2), n_kv=dims(1, 4), n_rep=dims(1, 4), seq=dims(1, 5), d_head=dims(1, 4), seed=seeds())
@example(b=1, n_kv=2, n_rep=3, seq=2, d_head=2, seed=0)
def test_repeat_kv_layout(kata, b, n_kv, n_rep, seq, d_head, seed):
    x = torch.randn(b, n_kv, seq, d_head, generator=torch.Generator().manual_seed(seed))
    call = describe_call("repeat_kv", x, n_rep)
    got = kata.repeat_kv(x, n_rep)
    assert_shape(got, (b, n_kv * n_rep, seq, d_head), call=call)
    want = torch.stack([x[:, h // n_rep] for h in range(n_kv * n_rep)], dim=1)
    try:
        assert_equal(got, want, call=call)  # pure data movement: exact
    except AssertionError as e:
        hint = layout_hint(got, x, n_rep)
        raise AssertionError(f"{e}\n  looks like: {hint}" if hint else str(e)) from None


@given(b=dims(1, 2), lq=dims(1, 6), lk=dims(1, 6), hg=HEAD_GROUPS, d_head=dims(1, 4), bias=st.booleans(),
       cross=st.booleans(), masked=MASKS, form=MASK_FORMS, seed=seeds())
@example(b=2, lq=4, lk=4, hg=(4, 2), d_head=3, bias=True, cross=False, masked="causal", form="(Lq, Lk)", seed=0)
@example(b=1, lq=3, lk=5, hg=(6, 3), d_head=2, bias=False, cross=True, masked="random", form="(Lq, Lk)", seed=1)
@example(b=2, lq=3, lk=4, hg=(4, 2), d_head=2, bias=True, cross=True, masked="random", form="(B, H, Lq, Lk)", seed=2)
@example(b=2, lq=3, lk=4, hg=(4, 2), d_head=2, bias=True, cross=True, masked="random", form="(B, 1, 1, Lk)", seed=3)
def test_matches_sdpa_with_enable_gqa(kata, b, lq, lk, hg, d_head, bias, cross, masked, form, seed):
    n_heads, n_kv = hg
    d_model = n_heads * d_head
    lk = lk if cross else lq
    g = torch.Generator().manual_seed(seed)
    attn = kata.GroupedQueryAttention(d_model, n_heads, n_kv, bias=bias).double()
    randomize(attn, g)
    query = torch.randn(b, lq, d_model, generator=g, dtype=torch.float64)
    key = torch.randn(b, lk, d_model, generator=g, dtype=torch.float64) if cross else query
    value = torch.randn(b, lk, d_model, generator=g, dtype=torch.float64) if cross else query
    mask = mask_in_form(masked, form, b, n_heads, lq, lk, g)
    call = describe_call(f"GroupedQueryAttention(d_model={d_model}, n_heads={n_heads}, n_kv_heads={n_kv})",
                         query, key, value, mask=mask)
    with torch.no_grad():
        out, weights = attn(query, key, value, mask=mask)
        want_out, want_w = sdpa_gqa(attn, query, key, value, None if mask is None else mask.expand(b, n_heads, lq, lk))
    assert_shape(weights, (b, n_heads, lq, lk), name="weights", call=call)
    assert_close(weights, want_w, rtol=TOL, atol=TOL, name="per-head weights", call=call)
    assert_close(out, want_out, rtol=TOL, atol=TOL, name="output", call=call)


@given(b=dims(1, 2), seq=dims(1, 6), n_heads=st.sampled_from([1, 2, 3, 4]), d_head=dims(1, 4), seed=seeds())
@example(b=2, seq=4, n_heads=4, d_head=2, seed=0)
def test_groups_equal_heads_is_multi_head_attention(kata, b, seq, n_heads, d_head, seed):
    d_model = n_heads * d_head
    g = torch.Generator().manual_seed(seed)
    ref = nn.MultiheadAttention(d_model, n_heads, batch_first=True).double()
    randomize(ref, g)
    attn = kata.GroupedQueryAttention(d_model, n_heads, n_heads).double()
    with torch.no_grad():
        for i, name in enumerate(["q_proj", "k_proj", "v_proj"]):
            getattr(attn, name).weight.copy_(ref.in_proj_weight[i * d_model:(i + 1) * d_model])
            getattr(attn, name).bias.copy_(ref.in_proj_bias[i * d_model:(i + 1) * d_model])
        attn.out_proj.load_state_dict(ref.out_proj.state_dict())
        x = torch.randn(b, seq, d_model, generator=g, dtype=torch.float64)
        causal = torch.ones(seq, seq, dtype=torch.bool).tril()
        out, weights = attn(x, x, x, mask=causal)
        want_out, want_w = ref(x, x, x, attn_mask=~causal, average_attn_weights=False)
    call = describe_call(f"GroupedQueryAttention(d_model={d_model}, n_heads={n_heads}, n_kv_heads={n_heads})", x, x, x)
    assert_close(weights, want_w, rtol=1e-9, atol=1e-11, name="weights (vs nn.MultiheadAttention)", call=call)
    assert_close(out, want_out, rtol=1e-9, atol=1e-10, name="output (vs nn.MultiheadAttention)", call=call)


@given(b=dims(1, 2), seq=dims(1, 6), n_heads=st.sampled_from([2, 3, 4]), d_head=dims(1, 4), seed=seeds())
@example(b=1, seq=3, n_heads=4, d_head=2, seed=0)
def test_one_group_is_multi_query_attention(kata, b, seq, n_heads, d_head, seed):
    """n_kv_heads = 1: one key and one value head, broadcast to every query head."""
    d_model = n_heads * d_head
    g = torch.Generator().manual_seed(seed)
    attn = kata.GroupedQueryAttention(d_model, n_heads, 1).double()
    randomize(attn, g)
    x = torch.randn(b, seq, d_model, generator=g, dtype=torch.float64)
    with torch.no_grad():
        out, _ = attn(x, x, x)
        q = heads(attn.q_proj(x), n_heads)                       # (B, H, L, d_head)
        k, v = attn.k_proj(x), attn.v_proj(x)                    # (B, L, d_head): the single shared head
        w = torch.softmax(torch.einsum("bhqd,bkd->bhqk", q, k) / math.sqrt(d_head), dim=-1)
        want = attn.out_proj(torch.einsum("bhqk,bkd->bqhd", w, v).reshape(b, seq, d_model))
    assert_close(out, want, rtol=TOL, atol=TOL, name="output (vs multi-query attention)",
                 call=describe_call(f"GroupedQueryAttention(d_model={d_model}, n_heads={n_heads}, n_kv_heads=1)", x, x, x))


@given(hg=HEAD_GROUPS, d_head=dims(1, 4), bias=st.booleans(), seed=seeds())
@example(hg=(4, 2), d_head=2, bias=True, seed=0)
@example(hg=(6, 2), d_head=1, bias=True, seed=1)
def test_mha_to_gqa_mean_pools_kv_heads(kata, hg, d_head, bias, seed):
    n_heads, n_kv = hg
    d_model = n_heads * d_head
    g = torch.Generator().manual_seed(seed)
    mha = kata.MultiHeadAttention(d_model, n_heads, bias=bias).double()
    randomize(mha, g)
    before = {k: v.clone() for k, v in mha.state_dict().items()}
    call = describe_call("mha_to_gqa", f"MultiHeadAttention(d_model={d_model}, n_heads={n_heads})", n_kv)
    gqa = kata.mha_to_gqa(mha, n_kv)
    assert isinstance(gqa, kata.GroupedQueryAttention), f"{call} returned {type(gqa).__name__}"
    assert gqa.n_kv_heads == n_kv, f"{call} returned n_kv_heads={gqa.n_kv_heads}, expected {n_kv}"
    dtypes = {str(p.dtype) for p in gqa.parameters()}
    assert dtypes == {"torch.float64"}, f"{call}: the result's parameters have dtypes {dtypes}, expected mha's float64"
    for name in ("q_proj", "out_proj"):
        assert_equal(getattr(gqa, name).weight, getattr(mha, name).weight, name=f"{name}.weight (copied)", call=call)
    for name in ("k_proj", "v_proj"):
        src = getattr(mha, name)
        assert_close(getattr(gqa, name).weight, pooled(src.weight.detach().numpy(), n_kv, n_heads, d_head),
                     rtol=1e-12, atol=1e-14, name=f"{name}.weight (heads mean-pooled per group)", call=call)
        if bias:
            assert_close(getattr(gqa, name).bias, pooled(src.bias.detach().numpy(), n_kv, n_heads, d_head),
                         rtol=1e-12, atol=1e-14, name=f"{name}.bias (mean-pooled too)", call=call)
    x = torch.randn(2, 4, d_model, generator=g, dtype=torch.float64)
    with torch.no_grad():
        for p in gqa.parameters():
            p.add_(1.0)                                          # the result must not share tensors with mha
        for k, v in mha.state_dict().items():
            assert torch.equal(v, before[k]), f"{call} changed (or shares) the original's {k}"
        if n_kv == n_heads:
            gqa = kata.mha_to_gqa(mha, n_kv)
            assert_close(gqa(x, x, x)[0], mha(x, x, x)[0], rtol=TOL, atol=TOL,
                         name="output with n_kv_heads = n_heads (must equal the MHA)", call=call)


def reference_forward(model, idx: torch.Tensor, n_kv: int) -> torch.Tensor:
    """The original mini-former's weights, its attention replaced by SDPA(enable_gqa) on mean-pooled K/V."""
    seq = idx.shape[-1]
    x = model.tok_emb.weight[idx] + model.pos_emb.weight[:seq]
    for block in model.blocks:
        a = block.self_attn
        h = F.layer_norm(x, (x.shape[-1],), block.norm1.weight, block.norm1.bias, block.norm1.eps)
        pool = {name: torch.from_numpy(pooled(getattr(a, proj).__getattr__(part).detach().numpy(), n_kv, a.n_heads,
                                              a.d_head))
                for name, proj, part in (("wk", "k_proj", "weight"), ("bk", "k_proj", "bias"),
                                         ("wv", "v_proj", "weight"), ("bv", "v_proj", "bias"))}
        causal = torch.ones(seq, seq, dtype=torch.bool).tril()
        x = x + sdpa_gqa(a, h, h, h, causal, **pool)[0]
        h = F.layer_norm(x, (x.shape[-1],), block.norm2.weight, block.norm2.bias, block.norm2.eps)
        x = x + F.linear(F.gelu(F.linear(h, block.linear1.weight, block.linear1.bias)), block.linear2.weight,
                         block.linear2.bias)
    x = F.layer_norm(x, (x.shape[-1],), model.norm.weight, model.norm.bias, model.norm.eps)
    return x @ model.lm_head.weight.T


@given(vocab=dims(2, 10), hg=HEAD_GROUPS, d_head=dims(1, 3), n_layers=dims(1, 3), seq=dims(1, 6), seed=seeds())
@example(vocab=7, hg=(4, 2), d_head=2, n_layers=2, seq=5, seed=0)
@example(vocab=5, hg=(2, 2), d_head=2, n_layers=2, seq=4, seed=1)
def test_convert_the_mini_former(kata, vocab, hg, d_head, n_layers, seq, seed):
    n_heads, n_kv = hg
    d_model = n_heads * d_head
    torch.manual_seed(seed)
    model = kata.MiniFormer(vocab, d_model, n_heads, n_layers, max_len=6, d_ff=8).double().eval()
    randomize(model, torch.Generator().manual_seed(seed))
    before = {k: v.clone() for k, v in model.state_dict().items()}
    idx = torch.randint(vocab, (2, seq), generator=torch.Generator().manual_seed(seed + 1))
    call = describe_call("convert_to_gqa", f"MiniFormer(d_model={d_model}, n_heads={n_heads}, n_layers={n_layers})",
                         n_kv)
    converted = kata.convert_to_gqa(model, n_kv).eval()
    for k, v in model.state_dict().items():
        assert k in before and torch.equal(v, before[k]), f"{call} modified the original model ({k}); work on a copy"
    assert len(converted.blocks) == n_layers, f"{call}: {len(converted.blocks)} blocks, expected {n_layers}"
    for i, block in enumerate(converted.blocks):
        assert isinstance(block.self_attn, kata.GroupedQueryAttention) and block.self_attn.n_kv_heads == n_kv, \
            f"{call}: block {i}'s self_attn is {type(block.self_attn).__name__}, expected GroupedQueryAttention({n_kv} kv heads)"
    saved = sum(p.numel() for p in model.parameters()) - sum(p.numel() for p in converted.parameters())
    want_saved = n_layers * 2 * (n_heads - n_kv) * d_head * (d_model + 1)
    assert saved == want_saved, f"{call} saved {saved} parameters, expected {want_saved} (2 (H - G) d_head (d_model + 1) per layer)"
    with torch.no_grad():
        got = converted(idx)
        want = reference_forward(model, idx, n_kv)
        if n_kv == n_heads:
            assert_close(got, model(idx), rtol=TOL, atol=TOL, name="logits (n_kv_heads = n_heads: unchanged)", call=call)
    assert_close(got, want, rtol=1e-9, atol=1e-9, name="logits of the converted model", call=call)
