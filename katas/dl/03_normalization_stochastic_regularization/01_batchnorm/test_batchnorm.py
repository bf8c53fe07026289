"""Tests for dl-03-1, batch normalisation with running statistics.

Reference: torch.nn.BatchNorm1d in float64 with the same γ, β, initial running statistics, eps and
momentum, fed the same sequence of training batches and then an eval batch; torch.autograd for the
backward pass in both modes.
"""
import numpy as np
import pytest
import torch
from hypothesis import example, given
from hypothesis import strategies as st

from grader.strategies import float_dtypes, seeds
from grader.testing import (
    assert_close,
    assert_dtype,
    assert_no_alias,
    assert_shape,
    call_unmodified,
    describe_call,
)

MOMENTA = st.sampled_from([0.0, 0.1, 0.5, 1.0])
EPSILONS = st.sampled_from([1e-5, 1e-3, 0.5])


def layout(N: int, C: int, L: int | None) -> tuple:
    return (N, C) if L is None else (N, C, L)


def batch(rng: np.random.Generator, shape: tuple, dtype: type, constant_channel: bool) -> np.ndarray:
    C = shape[1]
    loc = rng.uniform(-3, 3, size=C).reshape((1, C) + (1,) * (len(shape) - 2))
    scale = rng.uniform(0.1, 4, size=C).reshape((1, C) + (1,) * (len(shape) - 2))
    x = loc + scale * rng.standard_normal(shape)
    if constant_channel:
        x[:, 0] = 1.5  # zero variance: x̂ = 0 for that channel
    return x.astype(dtype)


def torch_bn(C: int, gamma: np.ndarray, beta: np.ndarray, rm: np.ndarray, rv: np.ndarray, momentum: float,
             eps: float) -> torch.nn.BatchNorm1d:
    bn = torch.nn.BatchNorm1d(C, eps=eps, momentum=momentum).double()
    with torch.no_grad():
        bn.weight.copy_(torch.from_numpy(gamma.astype(np.float64)))
        bn.bias.copy_(torch.from_numpy(beta.astype(np.float64)))
        bn.running_mean.copy_(torch.from_numpy(rm.astype(np.float64)))
        bn.running_var.copy_(torch.from_numpy(rv.astype(np.float64)))
    return bn


def tolerance(dtype: type) -> tuple[float, float]:
    # float64: a mean, a variance and a division: 1e-10. float32: the batch variance of up to 60 values
    # of scale ≤ 7 loses ~1e-6 relative; normalised outputs are O(1–10).
    return (1e-10, 1e-10) if dtype == np.float64 else (1e-4, 1e-4)


@given(seed=seeds(), N=st.integers(1, 6), C=st.integers(1, 4), L=st.one_of(st.none(), st.integers(1, 5)),
       steps=st.integers(1, 3), momentum=MOMENTA, eps=EPSILONS, dtype=float_dtypes(), constant=st.booleans())
@example(seed=0, N=1, C=2, L=2, steps=1, momentum=0.1, eps=1e-5, dtype=np.float64, constant=False)  # m = N·L = 2
@example(seed=1, N=4, C=3, L=None, steps=3, momentum=1.0, eps=0.5, dtype=np.float64, constant=True)
@example(seed=2, N=5, C=2, L=3, steps=2, momentum=0.0, eps=1e-5, dtype=np.float32, constant=False)
def test_training_steps_then_eval_match_batchnorm1d(kata, seed, N, C, L, steps, momentum, eps, dtype, constant):
    shape = layout(N, C, L)
    if N * (L or 1) < 2:
        shape = layout(N + 1, C, L)  # training needs two values per channel (tested separately)
    rng = np.random.default_rng(seed)
    gamma, beta = rng.normal(1, 0.5, C).astype(dtype), rng.normal(0, 0.5, C).astype(dtype)
    rm, rv = rng.normal(0, 1, C).astype(dtype), rng.uniform(0.5, 2, C).astype(dtype)
    bn = torch_bn(C, gamma, beta, rm, rv, momentum, eps)
    rtol, atol = tolerance(dtype)
    for step in range(steps):
        x = batch(rng, shape, dtype, constant)
        call = describe_call(f"batchnorm_forward(step {step + 1}, training=True, momentum={momentum}, eps={eps})",
                             x, gamma, beta, rm, rv)
        y, _, rm, rv = call_unmodified(kata.batchnorm_forward, x, gamma, beta, rm, rv, True, momentum=momentum,
                                       eps=eps, fn_name="batchnorm_forward")
        want = bn.train()(torch.from_numpy(x.astype(np.float64)))
        assert_shape(y, shape, call=call)
        assert_dtype(y, x, call=call)
        assert_close(y, want, rtol=rtol, atol=atol, name="y (vs BatchNorm1d in train mode)", call=call)
        assert_close(rm, bn.running_mean, rtol=rtol, atol=atol, name="running_mean", call=call)
        assert_close(rv, bn.running_var, rtol=rtol, atol=atol,
                     name="running_var (torch updates it with the unbiased variance)", call=call)
    x = batch(rng, layout(N, C, L), dtype, constant)  # eval also accepts one value per channel
    call = describe_call(f"batchnorm_forward(training=False, eps={eps})", x, gamma, beta, rm, rv)
    y, _, rm2, rv2 = call_unmodified(kata.batchnorm_forward, x, gamma, beta, rm, rv, False, momentum=momentum,
                                     eps=eps, fn_name="batchnorm_forward")
    assert_close(y, bn.eval()(torch.from_numpy(x.astype(np.float64))), rtol=rtol, atol=atol,
                 name="y in eval mode (normalised with the running statistics)", call=call)
    assert_close(rm2, rm, rtol=0, atol=0, name="running_mean after an eval call (unchanged)", call=call)
    assert_close(rv2, rv, rtol=0, atol=0, name="running_var after an eval call (unchanged)", call=call)
    assert_no_alias((rm2, rv2), rm, rv, name="running statistics returned by an eval call", call=call)


@given(seed=seeds(), N=st.integers(1, 6), C=st.integers(1, 4), L=st.one_of(st.none(), st.integers(1, 4)),
       training=st.booleans(), eps=EPSILONS, dtype=float_dtypes(), constant=st.booleans())
@example(seed=3, N=3, C=2, L=None, training=True, eps=1e-5, dtype=np.float64, constant=False)
@example(seed=4, N=2, C=3, L=3, training=True, eps=0.5, dtype=np.float64, constant=True)
@example(seed=5, N=1, C=2, L=None, training=False, eps=1e-5, dtype=np.float64, constant=False)
def test_backward_matches_autograd(kata, seed, N, C, L, training, eps, dtype, constant):
    shape = layout(N, C, L)
    if training and N * (L or 1) < 2:
        shape = layout(N + 1, C, L)
    rng = np.random.default_rng(seed)
    gamma, beta = rng.normal(1, 0.5, C).astype(dtype), rng.normal(0, 0.5, C).astype(dtype)
    rm, rv = rng.normal(0, 1, C).astype(dtype), rng.uniform(0.5, 2, C).astype(dtype)
    x = batch(rng, shape, dtype, constant)
    dy = rng.standard_normal(shape).astype(dtype)
    _, cache, _, _ = kata.batchnorm_forward(x, gamma, beta, rm, rv, training, eps=eps)
    call = describe_call(f"batchnorm_backward(training={training}, eps={eps})", dy, "cache")
    dx, dgamma, dbeta = call_unmodified(kata.batchnorm_backward, dy, cache, fn_name="batchnorm_backward")
    bn = torch_bn(C, gamma, beta, rm, rv, 0.1, eps).train(training)
    xt = torch.tensor(x.astype(np.float64), requires_grad=True)
    (bn(xt) * torch.from_numpy(dy.astype(np.float64))).sum().backward()
    rtol, atol = tolerance(dtype)
    for name, got, want in (("dx", dx, xt.grad), ("dgamma", dgamma, bn.weight.grad), ("dbeta", dbeta, bn.bias.grad)):
        assert_shape(got, tuple(want.shape), name=name, call=call)
        assert_dtype(got, dy, name=name, call=call)
        # dx in training mode divides by √(σ² + eps): tiny-variance channels amplify rounding (scale ≥ 0.1).
        assert_close(got, want, rtol=rtol * 10, atol=atol * 10, name=f"{name} (vs torch.autograd)", call=call)


@given(C=st.integers(1, 3), three_d=st.booleans())
def test_training_with_one_value_per_channel_raises(kata, C, three_d):
    x = np.ones((1, C, 1)) if three_d else np.ones((1, C))
    with pytest.raises(ValueError):
        kata.batchnorm_forward(x, np.ones(C), np.zeros(C), np.zeros(C), np.ones(C), True)


@given(momentum=st.sampled_from([-0.1, 1.5, 2.0]))
def test_momentum_outside_unit_interval_raises(kata, momentum):
    x = np.arange(6.0).reshape(3, 2)
    with pytest.raises(ValueError):
        kata.batchnorm_forward(x, np.ones(2), np.zeros(2), np.zeros(2), np.ones(2), True, momentum=momentum)
