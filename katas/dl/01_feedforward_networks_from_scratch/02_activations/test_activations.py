"""Tests for dl-01-2, activations and their derivatives.

References: torch.relu, torch.sigmoid and torch.tanh in float64 for the forward pass;
torch.autograd.grad with a random upstream gradient dy for the backward pass. The backward
functions get the reference forward output (not yours), so each function is judged on its own.
"""
import numpy as np
import torch
from hypothesis import example, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from grader.strategies import float_dtypes, seeds
from grader.testing import assert_close, assert_dtype, assert_shape, call_unmodified, describe_call

SHAPES = hnp.array_shapes(min_dims=0, max_dims=3, min_side=1, max_side=5)
TORCH = {"relu": torch.relu, "sigmoid": torch.sigmoid, "tanh": torch.tanh}
# float64: a few roundings, 1e-12 relative. float32 against the float64 reference: a few float32 ulps.
TOL = {np.float64: (1e-12, 1e-300), np.float32: (1e-6, 1e-30)}


@st.composite
def inputs(draw: st.DrawFn, scale: float = 3.0) -> tuple[np.ndarray, np.ndarray]:
    """x with some exact zeros and exact ties, dy from a seed; both of the drawn dtype."""
    dtype, shape, seed = draw(float_dtypes()), draw(SHAPES), draw(seeds())
    rng = np.random.default_rng(seed)
    x = rng.standard_normal(shape) * draw(st.sampled_from([scale, 50.0]))
    x = np.where(rng.random(shape) < 0.2, 0.0, x)  # exact zeros: where ReLU's derivative is a choice
    return x.astype(dtype), rng.standard_normal(shape).astype(dtype)


def reference(name: str, x: np.ndarray, dy: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(forward output, gradient dy·f'(x)) by torch in float64."""
    xt = torch.tensor(x, dtype=torch.float64, requires_grad=True)
    y = TORCH[name](xt)
    (dx,) = torch.autograd.grad(y, xt, torch.tensor(dy, dtype=torch.float64))
    return y.detach().numpy(), dx.numpy()


def check_forward(kata, name: str, x: np.ndarray) -> None:
    call = describe_call(name, x)
    with np.errstate(over="raise", invalid="raise", under="ignore"):
        try:
            got = call_unmodified(getattr(kata, name), x, fn_name=name)
        except FloatingPointError as e:
            raise AssertionError(f"{call} overflowed ({e}): exponentiate only non-positive numbers, "
                                 "e.g. exp(-|x|), and beware np.where, which evaluates both branches") from None
    assert_shape(got, x.shape, call=call)
    assert_dtype(got, x, call=call)
    rtol, atol = TOL[x.dtype.type]
    assert_close(got, reference(name, x.astype(np.float64), np.ones_like(x, dtype=np.float64))[0], rtol=rtol,
                 atol=atol, name=f"{name}(x) (vs torch.{name})", call=call)


def check_backward(kata, name: str, x: np.ndarray, dy: np.ndarray) -> None:
    y64, want = reference(name, x.astype(np.float64), dy.astype(np.float64))
    arg = x if name == "relu" else y64.astype(x.dtype)  # relu_backward takes x, the others take y
    call = describe_call(f"{name}_backward", dy, arg)
    got = call_unmodified(getattr(kata, f"{name}_backward"), dy, arg, fn_name=f"{name}_backward")
    assert_shape(got, x.shape, call=call)
    assert_dtype(got, dy, call=call)
    if name != "relu":  # the derivative from a rounded y: compare with the same formula in float64
        want = dy.astype(np.float64) * ((1 - arg.astype(np.float64)) * arg if name == "sigmoid"
                                        else 1 - arg.astype(np.float64) ** 2)
        assert_close(want, reference(name, x.astype(np.float64), dy.astype(np.float64))[1], rtol=1e-5, atol=1e-6,
                     name="(test self-check)")
    # float32: 1 − y² cancels when |y| is near 1, so the error is a float32 ulp of dy (N(0, 1)), not of dx.
    rtol, atol = (1e-12, 1e-14) if x.dtype == np.float64 else (1e-6, 1e-6)
    assert_close(got, want, rtol=rtol, atol=atol, name=f"dx = dy·{name}'(x) (vs torch.autograd)",
                 call=call)


@given(xd=inputs())
@example(xd=(np.array([-1.0, 0.0, 2.0]), np.array([1.0, 1.0, 1.0])))
@example(xd=(np.float32(0.0) * np.ones((2, 2), np.float32), np.ones((2, 2), np.float32)))
def test_relu(kata, xd):
    check_forward(kata, "relu", xd[0])


@given(xd=inputs())
@example(xd=(np.array([-1.0, 0.0, 2.0]), np.array([3.0, 5.0, 7.0])))
@example(xd=(np.zeros(1, np.float32), np.ones(1, np.float32)))
def test_relu_backward_is_zero_at_zero(kata, xd):
    check_backward(kata, "relu", *xd)


@given(xd=inputs())
@example(xd=(np.array([-1000.0, -40.0, 0.0, 40.0, 1000.0]), np.ones(5)))
@example(xd=(np.array([-200.0, 200.0], np.float32), np.ones(2, np.float32)))
def test_sigmoid_without_overflow(kata, xd):
    check_forward(kata, "sigmoid", xd[0])


@given(xd=inputs())
@example(xd=(np.array([-30.0, 0.0, 0.5, 30.0]), np.array([1.0, -2.0, 3.0, 4.0])))
def test_sigmoid_backward(kata, xd):
    check_backward(kata, "sigmoid", *xd)


@given(xd=inputs())
@example(xd=(np.array([-1000.0, 0.0, 1000.0]), np.ones(3)))
def test_tanh(kata, xd):
    check_forward(kata, "tanh", xd[0])


@given(xd=inputs())
@example(xd=(np.array([-2.0, 0.0, 0.5, 3.0]), np.array([1.0, -2.0, 3.0, 4.0])))
def test_tanh_backward(kata, xd):
    check_backward(kata, "tanh", *xd)
