"""Tests for ml-07-4, inverted dropout.

References: torch.nn.functional.dropout (its output reveals its mask; your apply_dropout with that
mask must give the same values); the exact expectation over masks, computed by enumerating all
2^m masks of a small tensor with their probabilities (no sampling, so no tolerance a random draw
can break); the mask recipe `torch.rand(shape, generator) >= p` with the same seed; and the
network-level consequence: averaged over masks, the train-mode TinyNet equals the eval-mode one.
"""
import itertools

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import example, given
from hypothesis import strategies as st

from grader.strategies import seeds, torch_float_dtypes
from grader.testing import (
    assert_close,
    assert_dtype,
    assert_equal,
    assert_shape,
    call_unmodified,
    describe_call,
)

PS = st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.75, 0.9])


def nonzero_tensor(seed: int, shape: tuple[int, ...], dtype: torch.dtype = torch.float32) -> torch.Tensor:
    """Entries with |x| >= 0.1, so a zero in a dropout output can only mean 'dropped'."""
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(shape, generator=g, dtype=torch.float64)
    return (torch.sign(x) * (x.abs() + 0.1)).to(dtype)


def all_masks(m: int) -> list[torch.Tensor]:
    return [torch.tensor(bits, dtype=torch.bool) for bits in itertools.product([False, True], repeat=m)]


def mask_probability(keep: torch.Tensor, p: float) -> float:
    k = int(keep.sum())
    return (1 - p) ** k * p ** (keep.numel() - k)


@given(seed=seeds(), shape=st.lists(st.integers(1, 6), min_size=1, max_size=3).map(tuple), p=PS)
@example(seed=0, shape=(1,), p=0.5)
def test_mask_follows_the_recipe(kata, seed, shape, p):
    call = describe_call("dropout_mask", shape, p, "generator")
    got = kata.dropout_mask(shape, p, torch.Generator().manual_seed(seed))
    want = torch.rand(shape, generator=torch.Generator().manual_seed(seed)) >= p
    assert got.dtype == torch.bool, f"{call} returned dtype {got.dtype}, expected torch.bool (True = keep)"
    assert_equal(got, want, name="keep-mask (torch.rand(shape, generator) >= p)", call=call)
    # A uniform exactly equal to p is kept (>=, not >): take p to be the first uniform itself.
    u = torch.rand(shape, generator=torch.Generator().manual_seed(seed))
    tie = float(u.flatten()[0])
    got = kata.dropout_mask(shape, tie, torch.Generator().manual_seed(seed))
    assert_equal(got, u >= tie, name=f"keep-mask with p = {tie!r}, exactly the first uniform (it is kept)",
                 call=describe_call("dropout_mask", shape, tie, "generator"))


@given(seed=seeds(), shape=st.lists(st.integers(1, 8), min_size=1, max_size=3).map(tuple),
       p=st.sampled_from([0.1, 0.25, 0.5, 0.75, 0.9]))
@example(seed=1, shape=(64,), p=0.5)
def test_apply_matches_torch_functional_dropout(kata, seed, shape, p):
    """F.dropout(x, p, training=True) zeroes some entries and scales the rest; with the same mask
    your apply_dropout must give the same numbers."""
    x = nonzero_tensor(seed, shape)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        want = F.dropout(x, p, training=True)
    keep = want != 0
    call = describe_call("apply_dropout", x, keep, p)
    got = call_unmodified(kata.apply_dropout, x, keep, p)
    assert_shape(got, x.shape, call=call)
    assert got.dtype == x.dtype, f"{call} returned dtype {got.dtype}, expected {x.dtype}"
    # float32: x / (1 - p) and x * (1 / (1 - p)) differ by at most an ulp or two.
    assert_close(got, want, rtol=3e-7, atol=0, name="output (vs F.dropout with the same mask)", call=call)


@given(seed=seeds(), m=st.integers(1, 8), p=PS)
@example(seed=2, m=1, p=0.9)
@example(seed=3, m=8, p=0.5)
def test_expectation_over_all_masks_is_the_input(kata, seed, m, p):
    """sum over all 2^m masks of P(mask) * apply_dropout(x, mask, p) = x, exactly (float64)."""
    x = nonzero_tensor(seed, (m,), torch.float64)
    total = torch.zeros(m, dtype=torch.float64)
    for keep in all_masks(m):
        total += mask_probability(keep, p) * call_unmodified(kata.apply_dropout, x, keep, p)
    call = describe_call("apply_dropout", x, "every mask", p) + " averaged with the mask probabilities"
    # A weighted sum of 256 float64 terms: ~1e-15 relative.
    assert_close(total, x, rtol=1e-12, atol=1e-14, name="expected output E_mask[dropout(x)]", call=call)


@given(seed=seeds(), m=st.integers(1, 10))
def test_p_one_drops_everything_and_p_zero_nothing(kata, seed, m):
    x = nonzero_tensor(seed, (m,))
    g = torch.Generator().manual_seed(seed)
    out = call_unmodified(kata.dropout, x, 1.0, training=True, generator=g)
    assert_close(out, torch.zeros(m), rtol=0, atol=0, name="dropout(x, p=1) (all dropped, no NaN)",
                 call=describe_call("dropout", x, 1.0, training=True))
    out = call_unmodified(kata.dropout, x, 0.0, training=True, generator=g)
    assert_close(out, x, rtol=0, atol=0, name="dropout(x, p=0) (nothing dropped, no scaling)",
                 call=describe_call("dropout", x, 0.0, training=True))
    for bad in (-0.1, 1.5):
        with pytest.raises(ValueError):
            kata.dropout(x, bad, training=True)
        with pytest.raises(ValueError):
            kata.Dropout(bad)


@given(seed=seeds(), shape=st.lists(st.integers(1, 6), min_size=1, max_size=3).map(tuple), p=PS,
       dtype=torch_float_dtypes())
@example(seed=4, shape=(3, 5), p=0.5, dtype=torch.float32)
@example(seed=4, shape=(3, 5), p=0.5, dtype=torch.float64)
def test_train_mode_uses_the_mask_and_eval_mode_is_identity(kata, seed, shape, p, dtype):
    x = nonzero_tensor(seed, shape, dtype)
    call = describe_call("dropout", x, p, training=True, generator="seeded")
    got = call_unmodified(kata.dropout, x, p, training=True, generator=torch.Generator().manual_seed(seed))
    keep = torch.rand(shape, generator=torch.Generator().manual_seed(seed)) >= p
    want = x * keep / (1 - p)
    assert_dtype(got, x, name="train-mode output", call=call)  # "the shape and dtype of x"
    assert_close(got, want, rtol=3e-7, atol=0, name="train-mode output", call=call)
    got = call_unmodified(kata.dropout, x, p, training=False, generator=torch.Generator().manual_seed(seed))
    assert_dtype(got, x, name="eval-mode output", call=describe_call("dropout", x, p, training=False))
    assert_close(got, x, rtol=0, atol=0, name="eval-mode output (inverted dropout leaves x alone)",
                 call=describe_call("dropout", x, p, training=False))
    module = kata.Dropout(p, torch.Generator().manual_seed(seed))
    assert_close(module.train()(x.clone()), want, rtol=3e-7, atol=0, name="Dropout module in train()",
                 call=describe_call(f"Dropout({p}).train()", x))
    assert_close(module.eval()(x.clone()), x, rtol=0, atol=0, name="Dropout module in eval()",
                 call=describe_call(f"Dropout({p}).eval()", x))


@given(seed=seeds(), d_in=st.integers(1, 4), d_hidden=st.integers(1, 7), d_out=st.integers(1, 3),
       batch=st.integers(1, 4), p=st.sampled_from([0.1, 0.5, 0.8]))
@example(seed=5, d_in=3, d_hidden=7, d_out=2, batch=4, p=0.5)
def test_network_expectation_equals_eval_mode(kata, seed, d_in, d_hidden, d_out, batch, p):
    """The layer after dropout is linear, so averaging the train-mode network over every hidden
    mask gives exactly the eval-mode network."""
    torch.manual_seed(seed)
    net = kata.TinyNet(d_in, d_hidden, d_out, p).double()
    x = nonzero_tensor(seed + 1, (batch, d_in), torch.float64)
    with torch.no_grad():
        want = net.eval()(x)
        h = torch.relu(net.fc1(x))
        expected = torch.zeros_like(want)
        for keep in all_masks(d_hidden):
            expected += mask_probability(keep, p) * net.fc2(kata.apply_dropout(h, keep.expand_as(h), p))
    call = describe_call(f"TinyNet({d_in}, {d_hidden}, {d_out}, p={p})", x)
    assert_close(expected, want, rtol=1e-10, atol=1e-12,
                 name="train-mode output averaged over every mask (should equal the eval-mode output)", call=call)
    no_dropout = net.fc2(torch.relu(net.fc1(x))).detach()
    assert_close(want, no_dropout, rtol=0, atol=0, name="eval-mode output (dropout must be the identity)",
                 call=call)


@given(seed=seeds(), m=st.integers(1, 12), p=st.sampled_from([0.25, 0.5, 0.75]))
def test_gradient_flows_through_the_kept_units(kata, seed, m, p):
    x = nonzero_tensor(seed, (m,), torch.float64).requires_grad_(True)
    out = kata.dropout(x, p, training=True, generator=torch.Generator().manual_seed(seed))
    out.sum().backward()
    keep = torch.rand((m,), generator=torch.Generator().manual_seed(seed)) >= p
    assert x.grad is not None, "no gradient reached x: was the mask applied outside autograd (detach, numpy)?"
    assert_close(x.grad, keep.double() / (1 - p), rtol=1e-12, atol=0, name="d sum(dropout(x)) / dx (mask / (1-p))",
                 call=describe_call("dropout", x, p, training=True))
    assert np.isfinite(x.grad.numpy()).all()
