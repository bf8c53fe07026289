"""Tests for arch-03-3, DDIM sampling and inversion.

References: with eta = 1 and consecutive timesteps DDIM is DDPM's ancestral step (Ho et al. Alg. 2,
float64); eq. 12 of Song et al. in numpy for any eta; the exact noise predictor of Gaussian data
eps*(x, t) = sqrt(1 - ab)(x - sqrt(ab) mu) / (ab s^2 + 1 - ab), whose DDIM samples must have the
data's mean and spread; an exact round trip when the predictor does not depend on x.
"""
import math

import numpy as np
import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import seeds
from grader.testing import assert_close, call_unmodified, describe_call

T = 200
ALPHA_BAR = torch.cumprod(1 - torch.linspace(1e-4, 0.05, T, dtype=torch.float64), 0)


def levels(g: torch.Generator) -> tuple[float, float]:
    ab_t = float(torch.rand(1, generator=g, dtype=torch.float64)) * 0.9 + 0.05
    ab_prev = ab_t + (1 - ab_t) * float(torch.rand(1, generator=g, dtype=torch.float64)) * 0.95
    return ab_t, ab_prev


@given(eta=st.sampled_from([0.0, 0.3, 1.0]), seed=seeds())
@example(eta=0.0, seed=0)
def test_step_matches_equation_12(kata, eta, seed):
    g = torch.Generator().manual_seed(seed)
    ab_t, ab_prev = levels(g)
    eps, x_t, noise = (torch.randn(2, 3, generator=g, dtype=torch.float64) for _ in range(3))
    call = describe_call("ddim_step", eps, x_t, ab_t, ab_prev, eta=eta, noise=noise)
    got = call_unmodified(kata.ddim_step, eps, x_t, ab_t, ab_prev, eta=eta, noise=noise, fn_name="ddim_step")
    e, x, z = eps.numpy(), x_t.numpy(), noise.numpy()
    x0 = (x - math.sqrt(1 - ab_t) * e) / math.sqrt(ab_t)
    sigma = eta * math.sqrt((1 - ab_prev) / (1 - ab_t)) * math.sqrt(1 - ab_t / ab_prev)
    want = math.sqrt(ab_prev) * x0 + math.sqrt(1 - ab_prev - sigma ** 2) * e + sigma * z
    assert_close(got, want, rtol=1e-10, atol=1e-12, call=call)


@given(seed=seeds())
def test_eta_zero_is_deterministic(kata, seed):
    g = torch.Generator().manual_seed(seed)
    ab_t, ab_prev = levels(g)
    eps, x_t, noise = (torch.randn(4, generator=g, dtype=torch.float64) for _ in range(3))
    a = kata.ddim_step(eps, x_t, ab_t, ab_prev)
    b = kata.ddim_step(eps, x_t, ab_t, ab_prev, eta=0.0, noise=noise)
    assert_close(b, a, rtol=0, atol=0, name="eta = 0 step with noise given vs without",
                 call=describe_call("ddim_step", eps, x_t, ab_t, ab_prev, eta=0.0, noise=noise))


@given(t=st.integers(1, T - 1), seed=seeds())
@example(t=1, seed=0)
def test_eta_one_is_the_ddpm_step(kata, t, seed):
    g = torch.Generator().manual_seed(seed)
    eps, x_t, z = (torch.randn(3, generator=g, dtype=torch.float64) for _ in range(3))
    ab, ab_prev = float(ALPHA_BAR[t]), float(ALPHA_BAR[t - 1])
    beta = 1 - ab / ab_prev
    want = (x_t - beta / math.sqrt(1 - ab) * eps) / math.sqrt(1 - beta) + math.sqrt(
        (1 - ab_prev) / (1 - ab) * beta) * z
    got = kata.ddim_step(eps, x_t, ab, ab_prev, eta=1.0, noise=z)
    assert_close(got, want, rtol=1e-9, atol=1e-10, name="DDIM with eta = 1 vs the DDPM ancestral step",
                 call=describe_call("ddim_step", eps, x_t, ab, ab_prev, eta=1.0, noise=z))


@given(eta=st.sampled_from([0.1, 1.0]))
def test_eta_needs_noise(kata, eta):
    with pytest.raises(ValueError):
        kata.ddim_step(torch.zeros(2), torch.zeros(2), 0.5, 0.7, eta=eta)
        pytest.fail(f"ddim_step(eta={eta}, noise=None) returned instead of raising ValueError")


def gaussian_eps(mu: float, s: float):
    def eps(x: torch.Tensor, t: int) -> torch.Tensor:
        ab = ALPHA_BAR[t]
        return torch.sqrt(1 - ab) * (x - torch.sqrt(ab) * mu) / (ab * s ** 2 + 1 - ab)
    return eps


@given(n_steps=st.integers(1, 12), seed=seeds())
@example(n_steps=1, seed=0)
def test_sample_follows_the_timesteps(kata, n_steps, seed):
    g = torch.Generator().manual_seed(seed)
    ts = sorted(torch.randperm(T, generator=g)[:n_steps].tolist(), reverse=True)
    calls = []
    model = gaussian_eps(0.5, 0.7)

    def recording(x: torch.Tensor, t: int) -> torch.Tensor:
        calls.append(int(t))
        return model(x, t)

    x_T = torch.randn(3, 2, generator=g, dtype=torch.float64)
    call = describe_call("ddim_sample", "eps_model", x_T, "alpha_bar", ts)
    got = call_unmodified(kata.ddim_sample, recording, x_T, ALPHA_BAR, ts, fn_name="ddim_sample")
    assert calls == ts, f"{call} called eps_model at timesteps {calls}, expected {ts} (once each, in order)"
    x = x_T.numpy().copy()
    for i, t in enumerate(ts):
        ab, ab_prev = float(ALPHA_BAR[t]), float(ALPHA_BAR[ts[i + 1]]) if i + 1 < len(ts) else 1.0
        e = model(torch.from_numpy(x), t).numpy()
        x = math.sqrt(ab_prev) * (x - math.sqrt(1 - ab) * e) / math.sqrt(ab) + math.sqrt(1 - ab_prev) * e
    assert_close(got, x, rtol=1e-9, atol=1e-10, call=call)


@given(n_steps=st.integers(1, 12), seed=seeds())
@example(n_steps=1, seed=0)
def test_inversion_round_trips_exactly_for_x_independent_model(kata, n_steps, seed):
    g = torch.Generator().manual_seed(seed)
    ts = sorted(torch.randperm(T, generator=g)[:n_steps].tolist(), reverse=True)
    table = torch.randn(T, 3, generator=g, dtype=torch.float64)

    def model(x: torch.Tensor, t: int) -> torch.Tensor:
        return table[t].expand_as(x)

    x0 = torch.randn(2, 3, generator=g, dtype=torch.float64)
    call = describe_call("ddim_invert", "eps_model", x0, "alpha_bar", ts)
    x_T = call_unmodified(kata.ddim_invert, model, x0, ALPHA_BAR, ts, fn_name="ddim_invert")
    back = kata.ddim_sample(model, x_T, ALPHA_BAR, ts)
    assert_close(back, x0, rtol=1e-9, atol=1e-9, name="ddim_sample(ddim_invert(x0))", call=call)


@settings(max_examples=5)
@given(seed=seeds())
def test_gaussian_data_round_trip_and_distribution(kata, seed):
    """With the exact noise model of N(mu, s^2) data, 50 deterministic steps map q(x_T) to about N(mu, s^2),
    and inverting then sampling returns each point up to the discretisation error."""
    mu, s = 1.5, 0.4
    model = gaussian_eps(mu, s)
    ts = list(range(T - 1, -1, -4))                     # 50 steps
    g = torch.Generator().manual_seed(seed)
    ab_T = float(ALPHA_BAR[ts[0]])    # start from the exact marginal q(x_T) = N(sqrt(ab) mu, ab s^2 + 1 - ab)
    x_T = math.sqrt(ab_T) * mu + math.sqrt(ab_T * s ** 2 + 1 - ab_T) * torch.randn(4000, 1, generator=g,
                                                                                 dtype=torch.float64)
    samples = kata.ddim_sample(model, x_T, ALPHA_BAR, ts)
    call = describe_call("ddim_sample", "exact eps of N(1.5, 0.4^2)", x_T, "alpha_bar", "50 steps")
    # Sampling error of 4000 draws (~0.006 for the mean) plus a little discretisation error.
    assert_close(float(samples.mean()), mu, rtol=0, atol=0.05, name="sample mean", call=call)
    assert_close(float(samples.std()), s, rtol=0, atol=0.05, name="sample standard deviation", call=call)
    x0 = mu + s * torch.randn(50, 1, generator=g, dtype=torch.float64)
    # Inversion evaluates eps at the less noisy point: a first-order error, so halving the step size
    # about halves the round-trip error (measured: ~0.13 with 50 steps, ~0.07 with 100).
    errors = []
    for stride in (4, 2):
        steps = list(range(T - 1, -1, -stride))
        back = kata.ddim_sample(model, kata.ddim_invert(model, x0, ALPHA_BAR, steps), ALPHA_BAR, steps)
        errors.append(float((back - x0).abs().max()))
    assert errors[0] < 0.2 and errors[1] < 0.7 * errors[0], (
        f"ddim_sample(ddim_invert(x0)) with the exact Gaussian model: largest round-trip error {errors[0]:.4f} "
        f"with 50 steps and {errors[1]:.4f} with 100, expected < 0.2 and shrinking with the step size")
    # DDIM with eta = 0 is deterministic: the same x_T gives the same samples.
    assert np.array_equal(kata.ddim_sample(model, x_T[:5], ALPHA_BAR, ts).numpy(), samples[:5].numpy()), (
        f"{call}: the same x_T gave different samples: eta = 0 sampling must not draw noise")
