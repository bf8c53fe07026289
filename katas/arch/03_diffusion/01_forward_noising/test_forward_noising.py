"""Tests for arch-03-1, DDPM forward noising and noise schedules.

References: the schedules' closed forms in float64 numpy (Ho et al. 2020; Nichol & Dhariwal 2021);
q_sample against its formula for given noise, and against the moments of the iterated one-step
forward process x_t = sqrt(1 - beta_t) x_{t-1} + sqrt(beta_t) eps over 20 000 chains.
"""
import math

import numpy as np
import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import seeds, torch_float_dtypes
from grader.testing import assert_close, assert_dtype, assert_shape, call_unmodified, describe_call


@given(steps=st.integers(1, 1000), start=st.sampled_from([1e-4, 1e-3, 0.0]),
       end=st.sampled_from([0.02, 0.05, 0.5]))
@example(steps=1, start=1e-4, end=0.02)
@example(steps=2, start=1e-4, end=0.02)
def test_linear_betas(kata, steps, start, end):
    call = describe_call("linear_betas", steps, start, end)
    got = kata.linear_betas(steps, start, end)
    assert got.dtype == torch.float64, f"{call} returned dtype {got.dtype}, expected torch.float64"
    assert_close(got, np.linspace(start, end, steps), rtol=1e-12, atol=1e-15, call=call)


def test_linear_betas_defaults(kata):
    assert_close(kata.linear_betas(1000), np.linspace(1e-4, 0.02, 1000), rtol=1e-12, atol=1e-15,
                 call="linear_betas(1000)")


def cosine_reference(steps: int, s: float, max_beta: float) -> np.ndarray:
    t = np.arange(steps + 1) / steps
    f = np.cos((t + s) / (1 + s) * np.pi / 2) ** 2
    ab = f / f[0]
    return np.minimum(1 - ab[1:] / ab[:-1], max_beta)


@given(steps=st.integers(1, 1000), s=st.sampled_from([0.008, 0.0, 0.05]),
       max_beta=st.sampled_from([0.999, 0.5, 0.02]))
@example(steps=1000, s=0.008, max_beta=0.999)
@example(steps=1, s=0.008, max_beta=0.999)      # a single step goes all the way to alpha_bar = 0: clipped
@example(steps=50, s=0.008, max_beta=0.02)      # the clip is active on many steps
def test_cosine_betas(kata, steps, s, max_beta):
    call = describe_call("cosine_betas", steps, s=s, max_beta=max_beta)
    got = kata.cosine_betas(steps, s=s, max_beta=max_beta)
    assert got.dtype == torch.float64, f"{call} returned dtype {got.dtype}, expected torch.float64"
    # float64 cosines near pi/2: relative error ~1e-16 / cos; 1e-9 absolute is ample.
    assert_close(got, cosine_reference(steps, s, max_beta), rtol=1e-9, atol=1e-9, call=call)


def test_cosine_betas_defaults(kata):
    got = kata.cosine_betas(1000)
    assert_close(got, cosine_reference(1000, 0.008, 0.999), rtol=1e-9, atol=1e-9, call="cosine_betas(1000)")
    ab = np.cumprod(1 - got.numpy())
    # Away from the clipped end, alpha_bar follows the cosine curve f(t)/f(0).
    t = np.arange(1, 1001) / 1000
    f = np.cos((t + 0.008) / 1.008 * np.pi / 2) ** 2 / np.cos(0.008 / 1.008 * np.pi / 2) ** 2
    assert_close(ab[:990], f[:990], rtol=1e-8, atol=1e-12, name="cumprod(1 - betas) = f(t) / f(0)",
                 call="cosine_betas(1000)")


@given(steps=st.integers(-3, 0), kind=st.sampled_from(["linear", "cosine"]))
def test_schedules_reject_no_steps(kata, steps, kind):
    fn = kata.linear_betas if kind == "linear" else kata.cosine_betas
    with pytest.raises(ValueError):
        fn(steps)
        pytest.fail(f"{kind}_betas({steps}) returned instead of raising ValueError")


@given(steps=st.integers(1, 50), dtype=torch_float_dtypes(), seed=seeds())
def test_alpha_bars(kata, steps, dtype, seed):
    betas = (torch.rand(steps, generator=torch.Generator().manual_seed(seed), dtype=torch.float64) * 0.3).to(dtype)
    call = describe_call("alpha_bars", betas)
    got = call_unmodified(kata.alpha_bars, betas, fn_name="alpha_bars")
    assert_dtype(got, betas, call=call)
    want = np.cumprod(1 - betas.double().numpy())
    tol = 1e-12 if dtype == torch.float64 else 1e-5   # float32: ~steps ulps of relative error
    assert_close(got, want, rtol=tol, atol=1e-12, call=call)


@given(b=st.integers(1, 4), shape=st.sampled_from([(3,), (2, 3), (1, 2, 2)]), steps=st.integers(1, 30),
       dtype=torch_float_dtypes(), seed=seeds())
@example(b=3, shape=(2, 3), steps=1, dtype=torch.float32, seed=0)
def test_q_sample_formula(kata, b, shape, steps, dtype, seed):
    g = torch.Generator().manual_seed(seed)
    ab = torch.cumprod(1 - torch.rand(steps, generator=g, dtype=torch.float64) * 0.3, 0)
    x0 = torch.randn(b, *shape, generator=g, dtype=torch.float64).to(dtype)
    noise = torch.randn(b, *shape, generator=g, dtype=torch.float64).to(dtype)
    t = torch.randint(steps, (b,), generator=g)
    t[0] = steps - 1                               # the last index is valid
    call = describe_call("q_sample", x0, t, ab, noise)
    got = call_unmodified(kata.q_sample, x0, t, ab, noise, fn_name="q_sample")
    assert_shape(got, (b, *shape), call=call)
    assert_dtype(got, x0, call=call)
    a = ab.numpy()[t.numpy()].reshape(-1, *[1] * len(shape))
    want = np.sqrt(a) * x0.double().numpy() + np.sqrt(1 - a) * noise.double().numpy()
    tol = 1e-12 if dtype == torch.float64 else 1e-6
    assert_close(got, want, rtol=tol, atol=tol, call=call)


@given(steps=st.integers(1, 10), bad=st.sampled_from(["neg", "T"]))
def test_q_sample_rejects_bad_timesteps(kata, steps, bad):
    ab = torch.linspace(0.99, 0.5, steps, dtype=torch.float64)
    t = torch.tensor([0, -1 if bad == "neg" else steps])
    with pytest.raises(ValueError):
        kata.q_sample(torch.zeros(2, 3), t, ab, torch.zeros(2, 3))
        pytest.fail(f"q_sample with t={t.tolist()} and T={steps} returned instead of raising ValueError")


@settings(max_examples=4)
@given(kind=st.sampled_from(["linear", "cosine"]), seed=seeds())
@example(kind="cosine", seed=0)
def test_one_shot_equals_iterating_the_chain(kata, kind, seed):
    """q(x_t | x_0) from alpha_bars + q_sample has the moments of t one-step noisings."""
    steps, n = 60, 20000
    betas = kata.linear_betas(steps, 1e-3, 0.2) if kind == "linear" else kata.cosine_betas(steps)
    ab = kata.alpha_bars(betas)
    g = torch.Generator().manual_seed(seed)
    x0 = torch.tensor([1.5, -0.5, 0.0], dtype=torch.float64)
    x = x0.expand(n, 3).clone()
    for t in range(steps):
        x = torch.sqrt(1 - betas[t]) * x + torch.sqrt(betas[t]) * torch.randn(n, 3, generator=g, dtype=torch.float64)
        if t in (0, 9, steps // 2, steps - 1):
            ts = torch.full((n,), t)
            one_shot = kata.q_sample(x0.expand(n, 3), ts, ab, torch.randn(n, 3, generator=g, dtype=torch.float64))
            call = describe_call(f"q_sample at t={t} ({kind} schedule)", x0, ts, ab)
            # Standard error of a mean of 20 000 samples with variance <= 1 is <= 0.007; of a variance <= 0.01.
            assert_close(one_shot.mean(0), x.mean(0), rtol=0, atol=0.04, name="mean (one-shot vs iterated)",
                         call=call)
            assert_close(one_shot.var(0), x.var(0), rtol=0, atol=0.05, name="variance (one-shot vs iterated)",
                         call=call)
            assert_close(one_shot.mean(0), math.sqrt(float(ab[t])) * x0, rtol=0, atol=0.04,
                         name="mean vs sqrt(alpha_bar) x0", call=call)
