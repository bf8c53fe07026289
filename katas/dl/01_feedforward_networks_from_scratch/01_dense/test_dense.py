"""Tests for dl-01-1, a dense layer's forward and backward pass in NumPy.

References: torch.nn.functional.linear for the forward pass and torch.autograd for every gradient,
both in float64 on the very same arrays, with an upstream gradient dy drawn at random (so the
backward pass is checked as a vector-Jacobian product, not only for a sum loss).
"""
import numpy as np
import torch
from hypothesis import example, given
from hypothesis import strategies as st

from grader.strategies import dims, float_dtypes, seeds
from grader.testing import assert_close, assert_dtype, assert_shape, call_unmodified, describe_call

BATCH = st.lists(st.integers(1, 4), min_size=0, max_size=3).map(tuple)  # () is a single vector
# float64: a handful of products of O(1) numbers, 1e-12 is ~1000 ulps. float32 results are compared
# with the float64 reference: relative 1e-5 plus an absolute floor for sums that cancel.
TOL = {np.float64: (1e-12, 1e-12), np.float32: (1e-5, 1e-5)}


def draw_layer(seed: int, batch: tuple, d_in: int, d_out: int, dtype: type) -> tuple:
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((*batch, d_in)).astype(dtype)
    W = rng.standard_normal((d_out, d_in)).astype(dtype)
    b = rng.standard_normal(d_out).astype(dtype)
    dy = rng.standard_normal((*batch, d_out)).astype(dtype)
    return x, W, b, dy


def t64(a: np.ndarray, grad: bool = False) -> torch.Tensor:
    return torch.tensor(a, dtype=torch.float64, requires_grad=grad)


@given(seed=seeds(), batch=BATCH, d_in=dims(1, 6), d_out=dims(1, 6), dtype=float_dtypes(), bias=st.booleans())
@example(seed=0, batch=(), d_in=1, d_out=1, dtype=np.float64, bias=True)
@example(seed=1, batch=(3,), d_in=4, d_out=4, dtype=np.float32, bias=False)
def test_forward_matches_torch_linear(kata, seed, batch, d_in, d_out, dtype, bias):
    x, W, b, _ = draw_layer(seed, batch, d_in, d_out, dtype)
    bb = b if bias else None
    call = describe_call("dense_forward", x, W, bb)
    y = call_unmodified(kata.dense_forward, x, W, bb, fn_name="dense_forward")
    assert_shape(y, (*batch, d_out), call=call)
    assert_dtype(y, x, call=call)
    want = torch.nn.functional.linear(t64(x), t64(W), t64(b) if bias else None)
    rtol, atol = TOL[dtype]
    assert_close(y, want, rtol=rtol, atol=atol, name="y (vs torch.nn.functional.linear)", call=call)


@given(seed=seeds(), batch=BATCH, d_in=dims(1, 6), d_out=dims(1, 6), dtype=float_dtypes())
@example(seed=2, batch=(), d_in=3, d_out=2, dtype=np.float64)
@example(seed=3, batch=(2, 3), d_in=4, d_out=4, dtype=np.float64)
@example(seed=4, batch=(1,), d_in=1, d_out=1, dtype=np.float32)
def test_backward_matches_autograd(kata, seed, batch, d_in, d_out, dtype):
    """L = Σ y ⊙ dy, so autograd's gradients of L are exactly the vector-Jacobian products asked for."""
    x, W, b, dy = draw_layer(seed, batch, d_in, d_out, dtype)
    call = describe_call("dense_backward", dy, x, W)
    dx, dW, db = call_unmodified(kata.dense_backward, dy, x, W, fn_name="dense_backward")
    xt, Wt, bt = t64(x, True), t64(W, True), t64(b, True)
    (torch.nn.functional.linear(xt, Wt, bt) * t64(dy)).sum().backward()
    rtol, atol = TOL[dtype]
    for name, got, want in (("dx", dx, xt.grad), ("dW", dW, Wt.grad), ("db", db, bt.grad)):
        assert_shape(got, tuple(want.shape), name=name, call=call)
        assert_dtype(got, dy, name=name, call=call)
        assert_close(got, want, rtol=rtol, atol=atol, name=f"{name} (vs torch.autograd)", call=call)


@given(seed=seeds(), n=dims(1, 5), d_in=dims(1, 5), d_out=dims(1, 5))
def test_backward_is_the_adjoint_of_the_forward(kata, seed, n, d_in, d_out):
    """⟨dy, J·(δx, δW, δb)⟩ = ⟨dx, δx⟩ + ⟨dW, δW⟩ + ⟨db, δb⟩: forward and backward agree with each other."""
    x, W, b, dy = draw_layer(seed, (n,), d_in, d_out, np.float64)
    rng = np.random.default_rng(seed + 1)
    ex, eW, eb = rng.standard_normal(x.shape), rng.standard_normal(W.shape), rng.standard_normal(b.shape)
    # The layer is bilinear in (x, W): the directional derivative is x δWᵀ + δx Wᵀ + δb exactly.
    jvp = kata.dense_forward(ex, W, eb) + kata.dense_forward(x, eW, None)
    dx, dW, db = kata.dense_backward(dy, x, W)
    lhs = float(np.sum(dy * jvp))
    rhs = float(np.sum(dx * ex) + np.sum(dW * eW) + np.sum(db * eb))
    assert_close(rhs, lhs, rtol=1e-10, atol=1e-10, name="⟨grads, direction⟩ (vs ⟨dy, forward-mode derivative⟩)",
                 call=describe_call("dense_backward", dy, x, W))
