"""Tests for rl-03-6, SAC's tanh-squashed Gaussian log-probability and the soft Bellman target.

References: torch.distributions.TransformedDistribution (Normal -> TanhTransform -> AffineTransform)
evaluated at your action, in float64, where tanh is not saturated; the exact identity
log(1 - tanh(u)^2) = -2 log cosh(u) (math module, float64) where it is; reparameterisation checked
by autograd; the soft Bellman target and the temperature loss in closed form.
"""
import math

import numpy as np
import pytest
import torch
from hypothesis import example, given
from hypothesis import strategies as st
from torch.distributions import AffineTransform, Independent, Normal, TanhTransform, TransformedDistribution

from grader.strategies import seeds, torch_float_dtypes
from grader.testing import assert_close, assert_dtype, assert_shape, call_unmodified, describe_call

SCALES = st.sampled_from([(1.0, 0.0), (2.0, 0.0), (0.5, 1.0), (2.0, -1.0)])


def inputs(seed: int, B: int, d: int, dtype: torch.dtype) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    mean = (torch.rand(B, d, generator=g, dtype=torch.float64) * 4 - 2).to(dtype)
    log_std = (torch.rand(B, d, generator=g, dtype=torch.float64) * 2.5 - 2).to(dtype)
    eps = torch.randn(B, d, generator=g, dtype=torch.float64).clamp(-2, 2).to(dtype)
    return mean, log_std, eps


@given(B=st.integers(1, 6), d=st.integers(1, 4), scale_bias=SCALES, dtype=torch_float_dtypes(), seed=seeds())
def test_log_prob_matches_transformed_distribution(kata, B, d, scale_bias, dtype, seed):
    scale, bias = scale_bias
    mean, log_std, eps = inputs(seed, B, d, dtype)
    call = describe_call("squashed_gaussian", mean, log_std, eps, action_scale=scale, action_bias=bias)
    action, log_prob = call_unmodified(kata.squashed_gaussian, mean, log_std, eps, action_scale=scale,
                                       action_bias=bias, fn_name="squashed_gaussian")
    assert_shape(action, (B, d), name="action", call=call)
    assert_shape(log_prob, (B,), name="log_prob (summed over action dimensions)", call=call)
    assert_dtype(action, dtype, name="action", call=call)
    assert_dtype(log_prob, dtype, name="log_prob", call=call)
    m, s = mean.double(), log_std.double().exp()
    u = m + s * eps.double()
    tol = 1e-5 if dtype == torch.float32 else 1e-10
    assert_close(action, torch.tanh(u) * scale + bias, rtol=tol, atol=tol,
                 name="action tanh(mean + std * eps) * scale + bias", call=call)
    dist = TransformedDistribution(Independent(Normal(m, s), 1), [TanhTransform(), AffineTransform(bias, scale)])
    want = dist.log_prob(torch.tanh(u) * scale + bias)
    # float32: the density is a sum of <= 4 terms of size <= ~10; 1e-3 absolute (atanh inversion in float64 is exact
    # to ~1e-10 for |u| <= 6).
    assert_close(log_prob, want, rtol=0, atol=1e-3 if dtype == torch.float32 else 1e-8,
                 name="log pi(a|s) (vs TransformedDistribution(Normal, [Tanh, Affine]).log_prob)", call=call)


@given(u=st.sampled_from([8.0, -8.0, 20.0, -20.0, 40.0]), dtype=torch_float_dtypes(), scale_bias=SCALES)
@example(u=20.0, dtype=torch.float32, scale_bias=(1.0, 0.0))
def test_log_prob_is_exact_when_tanh_saturates(kata, u, dtype, scale_bias):
    """tanh(20) is 1 in float32: log(1 - tanh^2) must come from a stable formula, not the rounded action."""
    scale, bias = scale_bias
    mean, log_std, eps = (torch.full((1, 2), u, dtype=dtype), torch.full((1, 2), -3.0, dtype=dtype),
                          torch.zeros(1, 2, dtype=dtype))
    log_cosh = abs(u) + math.log1p(math.exp(-2 * abs(u))) - math.log(2)
    gauss = 3.0 - 0.5 * math.log(2 * math.pi)  # eps = 0, log_std = -3: -log_std - log(2 pi) / 2
    want = 2 * (gauss - (-2 * log_cosh + math.log(scale)))
    call = describe_call("squashed_gaussian", mean, log_std, eps, action_scale=scale, action_bias=bias)
    _, log_prob = kata.squashed_gaussian(mean, log_std, eps, action_scale=scale, action_bias=bias)
    assert torch.isfinite(log_prob).all(), f"{call} returned {log_prob.tolist()}: use log(1 - tanh^2(u)) = 2 (log 2 - u - softplus(-2u))"
    assert_close(log_prob, [want], rtol=1e-5, atol=1e-4,
                 name="log_prob at a saturated tanh (vs -2 log cosh(u) computed exactly)", call=call)


@given(seed=seeds(), scale_bias=SCALES)
def test_actions_are_reparameterised(kata, seed, scale_bias):
    """Gradients flow from the action to mean and log_std: d a / d mean = scale * (1 - tanh(u)^2)."""
    scale, bias = scale_bias
    mean, log_std, eps = inputs(seed, 3, 2, torch.float64)
    mean.requires_grad_(True)
    log_std.requires_grad_(True)
    action, _ = kata.squashed_gaussian(mean, log_std, eps, action_scale=scale, action_bias=bias)
    g_mean, g_log_std = torch.autograd.grad(action.sum(), (mean, log_std))
    u = (mean + log_std.exp() * eps).detach()
    d = scale * (1 - torch.tanh(u) ** 2)
    call = describe_call("squashed_gaussian", mean, log_std, eps, action_scale=scale, action_bias=bias)
    assert_close(g_mean, d, rtol=1e-9, atol=1e-12, name="d action / d mean", call=call)
    assert_close(g_log_std, d * log_std.detach().exp() * eps, rtol=1e-9, atol=1e-12, name="d action / d log_std",
                 call=call)


@given(case=st.sampled_from(["shape", "1d", "scale0"]))
def test_squashed_gaussian_rejects_bad_inputs(kata, case):
    x = torch.zeros(2, 3)
    with pytest.raises(ValueError):
        if case == "shape":
            kata.squashed_gaussian(x, torch.zeros(2, 2), x)
        elif case == "1d":
            kata.squashed_gaussian(torch.zeros(3), torch.zeros(3), torch.zeros(3))
        else:
            kata.squashed_gaussian(x, x, x, action_scale=0.0)


@given(B=st.integers(1, 10), alpha=st.sampled_from([0.0, 0.2]) | st.floats(0, 1),
       gamma=st.sampled_from([0.99, 0.0, 1.0]) | st.floats(0, 1), seed=seeds(), float_flags=st.booleans())
@example(B=2, alpha=0.5, gamma=0.9, seed=-1, float_flags=False)
def test_soft_q_target(kata, B, alpha, gamma, seed, float_flags):
    if seed == -1:
        r, q1, q2 = torch.tensor([1.0, 1.0]), torch.tensor([3.0, 5.0]), torch.tensor([4.0, 2.0])
        term, lp = torch.tensor([False, True]), torch.tensor([-1.0, -1.0])
    else:
        g = torch.Generator().manual_seed(seed)
        r, q1, q2 = (torch.randn(B, generator=g) for _ in range(3))
        term, lp = torch.rand(B, generator=g) < 0.3, torch.randn(B, generator=g) * 2
    flags = term.float() if float_flags else term
    call = describe_call("soft_q_target", r, flags, q1, q2, lp, alpha, gamma)
    got = call_unmodified(kata.soft_q_target, r, flags, q1, q2, lp, alpha, gamma, fn_name="soft_q_target")
    want = r.double() + gamma * (1 - term.double()) * (torch.min(q1, q2).double() - alpha * lp.double())
    assert_close(got, want, rtol=1e-5, atol=1e-5,
                 name="y = r + gamma (1 - terminated) (min(Q1', Q2') - alpha log pi(a'|s'))", call=call)


@given(B=st.integers(1, 8), target=st.sampled_from([-1.0, -6.0]) | st.floats(-8, 0), seed=seeds())
def test_temperature_loss(kata, B, target, seed):
    g = torch.Generator().manual_seed(seed)
    log_alpha = torch.tensor(float(torch.randn(1, generator=g)), dtype=torch.float64, requires_grad=True)
    log_prob = (torch.randn(B, generator=g, dtype=torch.float64) * 3).requires_grad_(True)
    call = describe_call("temperature_loss", log_alpha, log_prob, target)
    loss = kata.temperature_loss(log_alpha, log_prob, target)
    want = -(float(log_alpha) * (log_prob.detach().numpy() + target)).mean()
    assert_close(loss, want, rtol=1e-10, atol=1e-10, name="-mean(log_alpha * (log_prob + target_entropy))", call=call)
    g_alpha, = torch.autograd.grad(loss, log_alpha, retain_graph=True)
    assert_close(g_alpha, -(log_prob.detach().numpy() + target).mean(), rtol=1e-10, atol=1e-10,
                 name="d loss / d log_alpha (alpha grows when the entropy -log_prob is below the target)", call=call)
    grads = torch.autograd.grad(loss, log_prob, allow_unused=True)[0]
    assert grads is None or np.allclose(grads.numpy(), 0), f"{call}: gradient reached log_prob (detach it)"
