"""Tests for nlp-10-1, LayerNorm, RMSNorm, GELU and SwiGLU by hand.

Reference: torch.nn.functional.layer_norm, rms_norm and gelu (approximate='none' and 'tanh'),
SwiGLU's two-line definition with F.silu and F.linear, all in float64, plus the gradients of those
references by autograd; float32 inputs with a large common offset (where a one-pass variance
cancels catastrophically); tiny-scale inputs where eps matters.
"""
import math

import pytest
import torch
import torch.nn.functional as F
from hypothesis import assume, example, given
from hypothesis import strategies as st

from grader.strategies import dims, seeds, torch_float_dtypes
from grader.testing import assert_close, assert_dtype, assert_shape, describe_call

LEADING = st.sampled_from([(), (3,), (2, 4)])
SCALES = st.sampled_from([1e-3, 1.0, 100.0])
EPS = st.sampled_from([1e-5, 1e-6, 1e-2])


def tensors_for(seed: int, *shapes: tuple[int, ...], scale: float = 1.0) -> list[torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    return [torch.randn(s, generator=g, dtype=torch.float64) * scale for s in shapes]


def check_grads(got_fn, want_fn, inputs: list[torch.Tensor], names: list[str], call: str) -> None:
    """Gradients of sum(out * w) for a random w, yours vs the reference's, by autograd."""
    mine = [t.clone().requires_grad_(True) for t in inputs]
    ref = [t.clone().requires_grad_(True) for t in inputs]
    out = got_fn(*mine)
    w = torch.randn(out.shape, generator=torch.Generator().manual_seed(1), dtype=torch.float64)
    (out * w).sum().backward()
    (want_fn(*ref) * w).sum().backward()
    for name, a, b in zip(names, mine, ref, strict=True):
        assert a.grad is not None, f"{call}: no gradient reached {name}"
        # float64 both sides; the backward formulas differ only in summation order.
        assert_close(a.grad, b.grad, rtol=1e-8, atol=1e-9, name=f"gradient w.r.t. {name}", call=call)


@given(leading=LEADING, d=dims(1, 16), scale=SCALES, eps=EPS, seed=seeds())
@example(leading=(3,), d=8, scale=1.0, eps=1e-5, seed=0)
@example(leading=(2, 4), d=1, scale=1.0, eps=1e-5, seed=1)            # one feature: output is the bias
@example(leading=(3,), d=6, scale=1e-3, eps=1e-5, seed=2)             # variance ~1e-6: eps dominates
def test_layer_norm_matches_torch(kata, leading, d, scale, eps, seed):
    x, w, b = tensors_for(seed, (*leading, d), (d,), (d,), scale=1.0)
    x = x * scale + 0.5
    call = describe_call("layer_norm", x, w, b, eps=eps)
    got = kata.layer_norm(x, w, b, eps=eps)
    assert_shape(got, tuple(x.shape), call=call)
    # float64 on both sides.
    assert_close(got, F.layer_norm(x, (d,), w, b, eps), rtol=1e-9, atol=1e-10, call=call)
    check_grads(lambda x_, w_, b_: kata.layer_norm(x_, w_, b_, eps=eps),
                lambda x_, w_, b_: F.layer_norm(x_, (d,), w_, b_, eps), [x, w, b], ["x", "weight", "bias"], call)


@given(rows=dims(1, 4), d=dims(4, 32), value=st.sampled_from([0.0, -7.0, 1e3]))
@example(rows=2, d=4, value=3.0)
def test_layer_norm_of_constant_rows_is_the_bias(kata, rows, d, value):
    x = torch.full((rows, d), value, dtype=torch.float64)
    w, b = tensors_for(rows * 100 + d, (d,), (d,))
    call = describe_call("layer_norm", x, w, b) + f" (every entry {value})"
    got = kata.layer_norm(x, w, b, eps=1e-5)
    assert_close(got, b.expand(rows, d), rtol=0, atol=1e-9, name="result (zero variance: exactly the bias)", call=call)


@given(rows=dims(1, 4), d=dims(8, 64), offset=st.sampled_from([1e4, 3e4, -3e4]), seed=seeds())
@example(rows=2, d=16, offset=3e4, seed=0)
def test_layer_norm_float32_with_a_large_offset(kata, rows, d, offset, seed):
    """x = 30000 + noise in float32: E[x^2] - E[x]^2 cancels catastrophically; mean((x - mean)^2) does not."""
    (noise,) = tensors_for(seed, (rows, d), scale=2.0)
    x = (offset + noise).float()
    assume(float(x.double().var(-1, unbiased=False).min()) > 1.0)
    w, b = torch.ones(d), torch.zeros(d)
    call = describe_call("layer_norm", x, w, b) + f" (rows near {offset:g})"
    got = kata.layer_norm(x, w, b)
    assert got.dtype == torch.float32, f"{call} returned dtype {got.dtype}, expected torch.float32"
    # The float32 mean of values near 3e4 is off by a few ulps (2e-3 each), i.e. ~1e-2 of a unit std at
    # worst; a one-pass variance is off by ulp(9e8) = 64, i.e. entirely wrong (or negative: NaN).
    try:
        assert_close(got, F.layer_norm(x.double(), (d,)), rtol=0, atol=5e-2, call=call)
    except AssertionError as e:
        raise AssertionError(f"{e}\n  looks like: var = mean(x**2) - mean(x)**2, which cancels in float32 when "
                             "the mean is large; centre first, then average the squares") from None


@given(leading=LEADING, d=dims(1, 16), scale=SCALES, eps=EPS, seed=seeds())
@example(leading=(3,), d=8, scale=1.0, eps=1e-6, seed=0)
@example(leading=(2, 4), d=5, scale=1e-3, eps=1e-6, seed=1)           # mean square ~1e-6: eps matters
def test_rms_norm_matches_torch(kata, leading, d, scale, eps, seed):
    x, w = tensors_for(seed, (*leading, d), (d,))
    x = x * scale + 0.5 * scale
    call = describe_call("rms_norm", x, w, eps=eps)
    got = kata.rms_norm(x, w, eps=eps)
    assert_shape(got, tuple(x.shape), call=call)
    assert_close(got, F.rms_norm(x, (d,), w, eps), rtol=1e-9, atol=1e-10, call=call)  # float64 on both sides
    check_grads(lambda x_, w_: kata.rms_norm(x_, w_, eps=eps), lambda x_, w_: F.rms_norm(x_, (d,), w_, eps),
                [x, w], ["x", "weight"], call)


@given(leading=LEADING, d=dims(1, 16), seed=seeds(), dtype=torch_float_dtypes())
@example(leading=(3,), d=8, seed=0, dtype=torch.float32)
def test_rms_norm_keeps_the_dtype(kata, leading, d, seed, dtype):
    x, w = (t.to(dtype) for t in tensors_for(seed, (*leading, d), (d,)))
    call = describe_call("rms_norm", x, w)
    got = kata.rms_norm(x, w)
    assert_dtype(got, x, call=call)
    # float32: a mean of squares and an rsqrt, a few ulps of O(1) values; default eps = 1e-6.
    assert_close(got, F.rms_norm(x.double(), (d,), w.double(), 1e-6), rtol=1e-5, atol=1e-5, call=call)


@given(shape=st.sampled_from([(7,), (3, 5), (2, 2, 4)]), approximate=st.sampled_from(["none", "tanh"]),
       scale=st.sampled_from([0.5, 3.0, 20.0]), seed=seeds())
@example(shape=(7,), approximate="none", scale=3.0, seed=0)
@example(shape=(7,), approximate="tanh", scale=3.0, seed=0)
def test_gelu_matches_torch(kata, shape, approximate, scale, seed):
    (x,) = tensors_for(seed, shape, scale=scale)
    call = describe_call("gelu", x, approximate=approximate)
    got = kata.gelu(x, approximate=approximate)
    assert_shape(got, shape, call=call)
    want = F.gelu(x, approximate=approximate)
    hint = ""
    if not torch.allclose(got, want, rtol=1e-9, atol=1e-10):
        other = F.gelu(x, approximate="tanh" if approximate == "none" else "none")
        if torch.allclose(got, other, rtol=1e-9, atol=1e-10):
            hint = f"this is approximate={'tanh' if approximate == 'none' else 'none'}'s result"
        elif torch.allclose(got, 0.5 * x * (1 + torch.erf(x)), rtol=1e-9, atol=1e-10):
            hint = "erf(x) instead of erf(x / sqrt(2)): Phi(x) = (1 + erf(x / sqrt(2))) / 2"
    try:
        assert_close(got, want, rtol=1e-9, atol=1e-10, call=call)       # float64 on both sides
    except AssertionError as e:
        raise AssertionError(f"{e}\n  looks like: {hint}" if hint else str(e)) from None
    check_grads(lambda x_: kata.gelu(x_, approximate=approximate), lambda x_: F.gelu(x_, approximate=approximate),
                [x], ["x"], call)


@given(n=dims(1, 64), approximate=st.sampled_from(["none", "tanh"]), seed=seeds())
def test_gelu_float32(kata, n, approximate, seed):
    x = (torch.randn(n, generator=torch.Generator().manual_seed(seed)) * 4).float()
    got = kata.gelu(x, approximate=approximate)
    assert got.dtype == torch.float32, f"gelu returned dtype {got.dtype} for float32 input"
    # float32: erf/tanh and the products are accurate to a few ulps of values up to ~16.
    assert_close(got, F.gelu(x.double(), approximate=approximate), rtol=1e-6, atol=1e-6,
                 call=describe_call("gelu", x, approximate=approximate))


def test_gelu_rejects_unknown_approximation(kata):
    with pytest.raises(ValueError):
        kata.gelu(torch.zeros(3), approximate="sigmoid")


def swiglu_reference(x: torch.Tensor, w_gate: torch.Tensor, w_up: torch.Tensor, w_down: torch.Tensor) -> torch.Tensor:
    return F.linear(F.silu(F.linear(x, w_gate)) * F.linear(x, w_up), w_down)


@given(leading=LEADING, d_model=dims(1, 8), d_ff=dims(1, 12), seed=seeds(), scale=st.sampled_from([0.5, 2.0]))
@example(leading=(3,), d_model=4, d_ff=6, seed=0, scale=1.0)
def test_swiglu_matches_its_definition(kata, leading, d_model, d_ff, seed, scale):
    x, wg, wu, wd = tensors_for(seed, (*leading, d_model), (d_ff, d_model), (d_ff, d_model), (d_model, d_ff),
                                scale=scale)
    call = describe_call("swiglu", x, wg, wu, wd)
    got = kata.swiglu(x, wg, wu, wd)
    assert_shape(got, (*leading, d_model), call=call)
    want = swiglu_reference(x, wg, wu, wd)
    hint = ""
    if not torch.allclose(got, want, rtol=1e-9, atol=1e-10):
        if torch.allclose(got, swiglu_reference(x, wu, wg, wd), rtol=1e-9, atol=1e-10):
            hint = "silu applied to the up projection: the gate is x W_gate^T"
        elif torch.allclose(got, F.linear(torch.sigmoid(F.linear(x, wg)) * F.linear(x, wu), wd), rtol=1e-9, atol=1e-10):
            hint = "sigmoid(z) instead of silu(z) = z * sigmoid(z): that is GLU, not SwiGLU"
    try:
        assert_close(got, want, rtol=1e-9, atol=1e-10, call=call)       # float64 on both sides
    except AssertionError as e:
        raise AssertionError(f"{e}\n  looks like: {hint}" if hint else str(e)) from None
    check_grads(kata.swiglu, swiglu_reference, [x, wg, wu, wd], ["x", "w_gate", "w_up", "w_down"], call)


@given(z=st.floats(-20.0, 20.0, width=32))
@example(z=0.0)
def test_gelu_is_x_times_normal_cdf(kata, z):
    """The definition itself: gelu(z) = z * Phi(z), Phi from math.erfc (a second, torch-free reference)."""
    x = torch.tensor([z], dtype=torch.float64)
    got = float(kata.gelu(x)[0])
    want = z * 0.5 * math.erfc(-z / math.sqrt(2))
    assert math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-12), f"gelu({z!r}) returned {got!r}, expected z * Phi(z) = {want!r}"
