"""Tests for nlp-46-2, structured pruning of heads and layers.

References: the unpruned module itself (a head mask with zeros at the pruned heads; Encoder.forward
with skip) gives the output the pruned module must reproduce; torch.utils.flop_counter.FlopCounterMode
counts the FLOPs, which must fall exactly in proportion to the heads removed; head importance is
checked against central finite differences of the loss in float64.
"""
import pytest
import torch
import torch.nn.functional as F
from hypothesis import example, given, settings
from hypothesis import strategies as st
from torch.utils.flop_counter import FlopCounterMode

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, describe_call

# float64 modules; pruning removes terms that were exactly zero, so only summation order changes
TOL = dict(rtol=1e-10, atol=1e-12)


def make_attn(kata, seed, d_model, n_heads, head_dim):
    torch.manual_seed(seed)
    return kata.MHA(d_model, n_heads, head_dim).double()


def make_x(seed, B, T, d):
    return torch.randn(B, T, d, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)


def flops(module, x, **kw) -> int:
    with FlopCounterMode(display=False) as counter:
        module(x, **kw)
    return counter.get_total_flops()


@given(n_heads=st.integers(2, 5), head_dim=st.integers(1, 3), d_model=st.integers(2, 6), data=st.data(), seed=seeds())
@example(n_heads=4, head_dim=2, d_model=4, data=None, seed=0)
@settings(max_examples=12)
def test_pruned_heads_match_masked_heads(kata, n_heads, head_dim, d_model, data, seed):
    if data is None:
        heads = [1, 1, 3]   # a repeated index counts once
    else:
        heads = data.draw(st.lists(st.integers(0, n_heads - 1), min_size=0, max_size=n_heads - 1), label="heads")
        if len(set(heads)) == n_heads:
            heads = heads[:1]
    attn = make_attn(kata, seed, d_model, n_heads, head_dim)
    x = make_x(seed, 2, 3, d_model)
    before = attn(x).detach()
    call = describe_call("prune_heads", f"MHA(d_model={d_model}, n_heads={n_heads}, head_dim={head_dim})", heads)
    pruned = kata.prune_heads(attn, heads)
    mask = torch.ones(n_heads, dtype=torch.float64)
    mask[list(set(heads))] = 0
    remaining = n_heads - len(set(heads))
    assert_equal(pruned.n_heads, remaining, call=call, name="n_heads of the pruned module")
    assert_equal(tuple(pruned.q.weight.shape), (remaining * head_dim, d_model), call=call, name="q.weight shape")
    got = pruned(x)
    assert_close(got, attn(x, head_mask=mask), **TOL, call=call,
                 name="output (reference: the unpruned module with head_mask 0 at the pruned heads)")
    assert_close(attn(x), before, rtol=0, atol=0, call=call, name="output of the ORIGINAL module (must be unchanged)")
    f_full, f_pruned = flops(attn, x), flops(pruned, x)
    assert f_pruned * n_heads == f_full * remaining, (
        f"{call}: FlopCounterMode counted {f_pruned} FLOPs for the pruned module and {f_full} for the full one; "
        f"{remaining}/{n_heads} of the heads remain, so expected exactly {f_full * remaining // n_heads}")


@given(n_heads=st.integers(1, 4), bad=st.sampled_from(["negative", "too_large", "all"]))
@example(n_heads=3, bad="too_large")
def test_prune_heads_rejects_bad_indices(kata, n_heads, bad):
    attn = make_attn(kata, 0, 4, n_heads, 2)
    heads = {"negative": [-1], "too_large": [n_heads], "all": list(range(n_heads))}[bad]
    with pytest.raises(ValueError):
        kata.prune_heads(attn, heads)
        pytest.fail(f"prune_heads(MHA(n_heads={n_heads}), {heads}) returned instead of raising ValueError")


def finite_difference_importance(attn, batches, eps=1e-6):
    out = torch.zeros(attn.n_heads, dtype=torch.float64)
    with torch.no_grad():
        for x, y in batches:
            for h in range(attn.n_heads):
                up, down = torch.ones(attn.n_heads, dtype=torch.float64), torch.ones(attn.n_heads, dtype=torch.float64)
                up[h] += eps
                down[h] -= eps
                out[h] += abs(F.mse_loss(attn(x, head_mask=up), y) - F.mse_loss(attn(x, head_mask=down), y)) / (2 * eps)
    return out / len(batches)


@given(n_heads=st.integers(1, 4), n_batches=st.integers(1, 3), seed=seeds())
@example(n_heads=3, n_batches=2, seed=0)
@settings(max_examples=8)
def test_head_importance_matches_finite_differences(kata, n_heads, n_batches, seed):
    attn = make_attn(kata, seed, 4, n_heads, 2)
    batches = [(make_x(seed + i, 2, 3, 4), make_x(seed + 100 + i, 2, 3, 4)) for i in range(n_batches)]
    call = describe_call("head_importance", f"MHA(n_heads={n_heads})", f"{n_batches} batches", "mse_loss")
    got = kata.head_importance(attn, batches, F.mse_loss)
    assert got.dtype == torch.float64, f"{call} returned dtype {got.dtype}, expected the parameters' float64"
    # central differences of a smooth float64 loss with eps = 1e-6: truncation ~1e-12, rounding ~1e-10;
    # a gate computed in float32 is off by ~1e-8 relative
    assert_close(got, finite_difference_importance(attn, batches), rtol=1e-8, atol=1e-10, call=call,
                 name="mean over batches of |dL/d head gate|")
    leftovers = [n for n, p in attn.named_parameters() if p.grad is not None]
    assert not leftovers, f"{call} left .grad on the module's parameters {leftovers}"


def test_head_importance_averages_absolute_values_per_batch(kata):
    """Two batches whose gate gradients have opposite signs: |g1| + |g2|, not |g1 + g2|."""
    attn = make_attn(kata, 3, 4, 2, 2)
    x = make_x(1, 2, 3, 4)
    y_low, y_high = attn(x).detach() - 1.0, attn(x).detach() + 1.0
    batches = [(x, y_low), (x, y_high)]
    got = kata.head_importance(attn, batches, F.mse_loss)
    assert_close(got, finite_difference_importance(attn, batches), rtol=1e-6, atol=1e-9,
                 call="head_importance(MHA, [(x, y - 1), (x, y + 1)], mse_loss)", name="importance")


@given(n_layers=st.integers(1, 4), data=st.data(), seed=seeds())
@example(n_layers=3, data=None, seed=0)
@settings(max_examples=8)
def test_drop_layers_matches_skipping(kata, n_layers, data, seed):
    layers = [0, 2] if data is None else data.draw(st.lists(st.integers(0, n_layers - 1), max_size=n_layers),
                                                   label="layers")
    torch.manual_seed(seed)
    enc = kata.Encoder([kata.Block(4, 2, 2) for _ in range(n_layers)]).double()
    x = make_x(seed, 2, 3, 4)
    before = enc(x).detach()
    call = describe_call("drop_layers", f"Encoder({n_layers} blocks)", layers)
    smaller = kata.drop_layers(enc, layers)
    assert_equal(len(smaller.blocks), n_layers - len(set(layers)), call=call, name="number of blocks left")
    assert_close(smaller(x), enc(x, skip=layers), **TOL, call=call, name="output (reference: Encoder.forward(skip=layers))")
    assert_close(enc(x), before, rtol=0, atol=0, call=call, name="output of the ORIGINAL encoder (must be unchanged)")
    with torch.no_grad():  # fine-tuning the smaller model must not touch the original
        for p in smaller.parameters():
            p.add_(1.0)
    assert_close(enc(x), before, rtol=0, atol=0, call=call,
                 name="output of the ORIGINAL encoder after changing the new one's parameters (shared blocks?)")


@pytest.mark.parametrize("layers", [[-1], [3], [0, 5]])
def test_drop_layers_rejects_bad_indices(kata, layers):
    enc = kata.Encoder([kata.Block(4, 2, 2) for _ in range(3)])
    with pytest.raises(ValueError):
        kata.drop_layers(enc, layers)
        pytest.fail(f"drop_layers(Encoder(3 blocks), {layers}) returned instead of raising ValueError")
