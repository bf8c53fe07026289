"""Tests for nlp-02-4, ALiBi.

Reference: the slopes' closed form (2^(-8h/n) for n a power of two, and the paper's rule for other
head counts, written here independently), the bias built from it, and
torch.nn.functional.scaled_dot_product_attention with that bias as attn_mask (causal part -inf).
"""
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import example, given
from hypothesis import strategies as st

from grader.strategies import dims, seeds, torch_float_dtypes
from grader.testing import assert_close, assert_dtype, assert_shape, describe_call


def slopes_reference(n_heads: int) -> np.ndarray:
    """c = largest power of two <= n: 2^(-8h/c) for h = 1..c, then 2^(-8h/(2c)) for odd h = 1, 3, 5, ..."""
    c = 1 << (n_heads.bit_length() - 1)
    first = [2.0 ** (-8.0 * h / c) for h in range(1, c + 1)]
    extra = [2.0 ** (-8.0 * h / (2 * c)) for h in range(1, 2 * (n_heads - c), 2)]
    return np.array(first + extra)


def slope_hint(got: torch.Tensor, n_heads: int) -> str:
    """Name the known wrong slope rule that `got` follows, if any."""
    g = got.detach().double().numpy()
    h = np.arange(1, n_heads + 1)
    c = 1 << (n_heads.bit_length() - 1)
    if g.shape != (n_heads,):
        return ""
    if np.allclose(g, 2.0 ** (-8.0 * (h - 1) / n_heads), rtol=1e-6):
        return "\n  looks like: heads counted from h = 0 (the first slope should be 2^(-8/n), not 1)"
    if c != n_heads and np.allclose(g, 2.0 ** (-8.0 * h / n_heads), rtol=1e-6):
        return (f"\n  looks like: 2^(-8h/n) applied to n = {n_heads}, not a power of two: take the {c} slopes of "
                f"{c} heads, then every other slope of the {2 * c}-head sequence")
    if c != n_heads and np.allclose(g[:c], slopes_reference(n_heads)[:c], rtol=1e-6):
        return (f"\n  looks like: the first {c} slopes are right; the other {n_heads - c} should be the 1st, 3rd, "
                f"5th, ... slopes of the {2 * c}-head sequence")
    return ""


def bias_reference(n_heads: int, seq_len: int) -> np.ndarray:
    i, j = np.arange(seq_len)[:, None], np.arange(seq_len)[None, :]
    bias = -slopes_reference(n_heads)[:, None, None] * (i - j)
    return np.where(j > i, -np.inf, bias)


@given(log2_heads=st.integers(0, 6))
def test_slopes_power_of_two_closed_form(kata, log2_heads):
    n = 2 ** log2_heads
    got = kata.alibi_slopes(n)
    call = describe_call("alibi_slopes", n)
    assert_shape(got, (n,), call=call)
    assert got.dtype == torch.float32, f"{call} returned dtype {got.dtype}, expected torch.float32"
    want = [2.0 ** (-8.0 * h / n) for h in range(1, n + 1)]
    # float32 holds these to ~6e-8 relative.
    assert_close(got, want, rtol=1e-6, atol=0, call=call)


@given(n_heads=dims(1, 64))
@example(n_heads=3)
@example(n_heads=6)
@example(n_heads=12)
@example(n_heads=40)
def test_slopes_any_head_count(kata, n_heads):
    call = describe_call("alibi_slopes", n_heads)
    got = kata.alibi_slopes(n_heads)
    assert_shape(got, (n_heads,), call=call)
    try:
        # float32 holds these to ~6e-8 relative.
        assert_close(got, slopes_reference(n_heads), rtol=1e-6, atol=0, call=call)
    except AssertionError as e:
        raise AssertionError(str(e) + slope_hint(got, n_heads)) from None


def test_slopes_worked_example(kata):
    """Six heads: the 4-head slopes 1/4, 1/16, 1/64, 1/256, then 1/2 and 1/8 from the 8-head sequence."""
    # Powers of two are exact in float32; 1e-6 leaves room for exp/log-based formulas.
    assert_close(kata.alibi_slopes(6), [0.25, 0.0625, 0.015625, 0.00390625, 0.5, 0.125], rtol=1e-6, atol=0,
                 call="alibi_slopes(6)")


@given(n_heads=dims(1, 12), seq_len=dims(1, 16))
@example(n_heads=1, seq_len=1)
@example(n_heads=3, seq_len=5)
def test_bias_is_minus_slope_times_distance_and_causal(kata, n_heads, seq_len):
    call = describe_call("alibi_bias", n_heads, seq_len)
    got = kata.alibi_bias(n_heads, seq_len)
    assert_shape(got, (n_heads, seq_len, seq_len), call=call)
    assert got.dtype == torch.float32, f"{call} returned dtype {got.dtype}, expected torch.float32"
    want = bias_reference(n_heads, seq_len)
    got_np = got.double().numpy()
    future = np.isneginf(want)
    if not np.array_equal(np.isneginf(got_np), future):
        where = np.argwhere(np.isneginf(got_np) != future)[0]
        h, i, j = (int(t) for t in where)
        raise AssertionError(
            f"{call}: the -inf causal mask is wrong at [head {h}, query {i}, key {j}]: got {got_np[h, i, j]}, "
            f"expected {want[h, i, j]} (-inf exactly where key j > query i; the diagonal stays finite)")
    # float32 slope times an integer distance < 16: ~1e-7 relative.
    assert_close(np.where(future, 0, got_np), np.where(future, 0, want), rtol=1e-6, atol=1e-7,
                 name="bias on and below the diagonal", call=call)


@given(leading=st.sampled_from([(), (1,), (2,), (2, 3)]), n_heads=dims(1, 6), seq_len=dims(1, 10), d_head=dims(1, 8),
       seed=seeds(), scale=st.sampled_from([0.5, 1.0, 3.0]), dtype=torch_float_dtypes())
@example(leading=(1,), n_heads=1, seq_len=1, d_head=1, seed=0, scale=1.0, dtype=torch.float32)
@example(leading=(2,), n_heads=4, seq_len=8, d_head=4, seed=1, scale=1.0, dtype=torch.float32)
@example(leading=(), n_heads=3, seq_len=5, d_head=2, seed=2, scale=1.0, dtype=torch.float64)   # no batch axis
def test_attention_matches_sdpa_with_the_bias_as_mask(kata, leading, n_heads, seq_len, d_head, seed, scale, dtype):
    g = torch.Generator().manual_seed(seed)
    q, k, v = (torch.randn(*leading, n_heads, seq_len, d_head, generator=g, dtype=torch.float64).to(dtype) * scale
               for _ in range(3))
    call = describe_call("alibi_attention", q, k, v)
    got = kata.alibi_attention(q, k, v)
    mask = torch.from_numpy(bias_reference(n_heads, seq_len))
    want = F.scaled_dot_product_attention(q.double(), k.double(), v.double(), attn_mask=mask)
    assert_dtype(got, q, call=call)
    # float32 softmax and matmuls of O(1) values against a float64 reference (float64: far tighter).
    assert_close(got, want, rtol=1e-4, atol=1e-5, call=call)


@given(n_heads=dims(1, 4), seq_len=dims(2, 10), seed=seeds())
def test_equal_scores_favour_the_nearest_keys(kata, n_heads, seq_len, seed):
    """With q = 0 all raw scores tie, so the weights are the softmax of the bias alone: e^{-m (i-j)}."""
    g = torch.Generator().manual_seed(seed)
    q = torch.zeros(1, n_heads, seq_len, 4)
    k = torch.randn(1, n_heads, seq_len, 4, generator=g)
    v = torch.eye(seq_len).expand(1, n_heads, seq_len, seq_len)    # identity values: output row = weights row
    got = kata.alibi_attention(q, k, v)
    m = slopes_reference(n_heads)[:, None, None]
    i, j = np.arange(seq_len)[:, None], np.arange(seq_len)[None, :]
    w = np.where(j <= i, np.exp(-m * (i - j)), 0.0)
    # Closed-form weights: float32 softmax of values in [-8, 0].
    assert_close(got[0], w / w.sum(-1, keepdims=True), rtol=1e-5, atol=1e-6, name="attention weights (v = I)",
                 call=describe_call("alibi_attention", q, k, v))


@given(n_heads=st.integers(-3, 0))
def test_rejects_no_heads(kata, n_heads):
    with pytest.raises(ValueError):
        kata.alibi_slopes(n_heads)
        pytest.fail(f"alibi_slopes({n_heads}) did not raise ValueError")
    with pytest.raises(ValueError):
        kata.alibi_bias(n_heads, 4)
        pytest.fail(f"alibi_bias({n_heads}, 4) did not raise ValueError")


@given(n_heads=dims(1, 4), seq_len=st.integers(-3, 0))
def test_bias_rejects_empty_sequences(kata, n_heads, seq_len):
    with pytest.raises(ValueError):
        kata.alibi_bias(n_heads, seq_len)
        pytest.fail(f"alibi_bias({n_heads}, {seq_len}) did not raise ValueError")
