"""Tests for arch-06-5, NeRF positional encoding and volume rendering.

References: the encoding written out with numpy in float64; the quadrature in its exponential form
(T_i = exp(-sum_{j<i} sigma_j delta_j), a different formula for the same weights) in float64; the
identity sum_i w_i = 1 - T_N (the weights are the light that stopped); a single opaque sample
returning its own colour; empty space rendering black; torch autograd for the gradient.
"""
import math

import numpy as np
import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import seeds, torch_float_dtypes
from grader.testing import assert_close, assert_dtype, assert_seeded, call_unmodified, describe_call


@given(shape=st.sampled_from([(3,), (2, 3), (4, 1), (2, 2, 2)]), n_freqs=st.integers(0, 5),
       include=st.booleans(), seed=seeds(), dtype=torch_float_dtypes())
@example(shape=(1, 3), n_freqs=0, include=True, seed=0, dtype=torch.float64)   # just the input
def test_encoding_matches_the_formula(kata, shape, n_freqs, include, seed, dtype):
    if n_freqs == 0 and not include:
        n_freqs = 1
    x = (torch.rand(shape, generator=torch.Generator().manual_seed(seed), dtype=torch.float64) * 2 - 1).to(dtype)
    call = describe_call("positional_encoding", x, n_freqs, include_input=include)
    got = call_unmodified(kata.positional_encoding, x, n_freqs, include_input=include, fn_name="positional_encoding")
    assert_dtype(got, x, call=call)
    xn = x.double().numpy()
    parts = [xn] if include else []
    for k in range(n_freqs):
        parts += [np.sin(2.0 ** k * np.pi * xn), np.cos(2.0 ** k * np.pi * xn)]
    tol = 1e-5 if dtype == torch.float32 else 1e-12    # float32 angles up to 2^4 pi: a few ulps of 50
    assert_close(got, np.concatenate(parts, axis=-1), rtol=0, atol=tol, call=call)


def test_encoding_default_includes_the_input(kata):
    x = torch.tensor([[0.25, -0.5]], dtype=torch.float64)
    want = torch.tensor([[0.25, -0.5, math.sin(math.pi / 4), -1.0, math.cos(math.pi / 4), 0.0]], dtype=torch.float64)
    assert_close(kata.positional_encoding(x, 1), want, rtol=0, atol=1e-12, call="positional_encoding(x, 1)")


@given(bad=st.sampled_from([(-1, True), (-3, False), (0, False)]))
def test_encoding_rejects_bad_arguments(kata, bad):
    with pytest.raises(ValueError):
        kata.positional_encoding(torch.zeros(2, 3), bad[0], include_input=bad[1])
        pytest.fail(f"positional_encoding(n_freqs={bad[0]}, include_input={bad[1]}) returned instead of raising")


@given(near=st.sampled_from([0.0, 2.0]), span=st.sampled_from([1.0, 4.0]), n_rays=st.integers(1, 4),
       n_samples=st.integers(1, 16), seed=seeds())
def test_stratified_samples_fall_one_per_bin(kata, near, span, n_rays, n_samples, seed):
    far = near + span
    call = describe_call("stratified_samples", near, far, n_rays, n_samples, "generator")
    t = assert_seeded(lambda s: kata.stratified_samples(near, far, n_rays, n_samples, torch.Generator().manual_seed(s)),
                      seed)
    assert t.shape == (n_rays, n_samples) and t.dtype == torch.float64, f"{call} returned {t.dtype}{list(t.shape)}"
    bins = torch.floor((t - near) / span * n_samples)
    assert torch.equal(bins, torch.arange(n_samples, dtype=torch.float64).expand(n_rays, -1)), \
        f"{call}: sample i must fall in bin i, [near + i (far - near) / N, near + (i + 1) (far - near) / N)"
    u = torch.rand(n_rays, n_samples, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    assert_close(t, near + span * (torch.arange(n_samples) + u) / n_samples, rtol=0, atol=1e-12,
                 name="depths from the given generator's torch.rand(n_rays, n_samples)", call=call)


@given(bad=st.sampled_from([(1.0, 1.0, 4), (2.0, 1.0, 4), (0.0, 1.0, 0)]))
def test_stratified_rejects_bad_arguments(kata, bad):
    with pytest.raises(ValueError):
        kata.stratified_samples(bad[0], bad[1], 2, bad[2], torch.Generator().manual_seed(0))
        pytest.fail(f"stratified_samples(near, far, n_samples = {bad}) returned instead of raising ValueError")


def rays(seed: int, r: int, n: int, dtype: torch.dtype = torch.float64, scale: float = 2.0) -> tuple:
    g = torch.Generator().manual_seed(seed)
    sigma = (torch.rand(r, n, generator=g, dtype=torch.float64) * scale).to(dtype)
    sigma[torch.rand(r, n, generator=g, dtype=torch.float64) < 0.3] = 0.0     # empty space
    rgb = torch.rand(r, n, 3, generator=g, dtype=torch.float64).to(dtype)
    t = torch.sort(torch.rand(r, n, generator=g, dtype=torch.float64) * 4 + 1, dim=1).values.to(dtype)
    return sigma, rgb, t


def exponential_form(sigma: np.ndarray, rgb: np.ndarray, t: np.ndarray) -> tuple:
    delta = np.concatenate([np.diff(t, axis=1), np.full((t.shape[0], 1), 1e10)], axis=1)
    tau = sigma * delta
    trans = np.exp(-np.concatenate([np.zeros((t.shape[0], 1)), np.cumsum(tau, axis=1)[:, :-1]], axis=1))
    w = trans * -np.expm1(-tau)
    return (w[..., None] * rgb).sum(1), (w * t).sum(1), w, trans[:, -1] * np.exp(-tau[:, -1])


@given(r=st.integers(1, 4), n=st.integers(1, 12), seed=seeds(), dtype=torch_float_dtypes(),
       scale=st.sampled_from([0.1, 2.0, 50.0]))
@example(r=1, n=1, seed=0, dtype=torch.float64, scale=2.0)    # one sample: the last interval is infinite
def test_rendering_matches_the_exponential_form(kata, r, n, seed, dtype, scale):
    sigma, rgb, t = rays(seed, r, n, dtype, scale)
    call = describe_call("render_rays", sigma, rgb, t)
    colour, depth, w = call_unmodified(kata.render_rays, sigma, rgb, t, fn_name="render_rays")
    want_c, want_d, want_w, t_final = exponential_form(sigma.double().numpy(), rgb.double().numpy(), t.double().numpy())
    tol = 1e-5 if dtype == torch.float32 else 1e-10
    assert_close(w, want_w, rtol=tol, atol=tol, name="weights", call=call)
    assert_close(colour, want_c, rtol=tol, atol=tol, name="colour", call=call)
    assert_close(depth, want_d, rtol=tol, atol=tol * 10, name="depth", call=call)
    assert_close(w.double().sum(1), 1 - t_final, rtol=tol, atol=tol,
                 name="sum of weights (expected 1 - transmittance through the whole ray)", call=call)


@given(n=st.integers(1, 8), seed=seeds(), data=st.data())
def test_a_single_opaque_sample_returns_its_colour(kata, n, seed, data):
    k = data.draw(st.integers(0, n - 1), label="opaque index")
    _, rgb, t = rays(seed, 1, n)
    sigma = torch.zeros(1, n, dtype=torch.float64)
    sigma[0, k] = 1e6
    colour, depth, w = kata.render_rays(sigma, rgb, t)
    call = describe_call("render_rays", sigma, rgb, t)
    assert_close(colour[0], rgb[0, k], rtol=0, atol=1e-9, name=f"colour (only sample {k} is opaque)", call=call)
    assert_close(depth[0], t[0, k], rtol=0, atol=1e-9, name="depth (the opaque sample's t)", call=call)


def test_empty_space_renders_black(kata):
    sigma, rgb, t = torch.zeros(2, 5, dtype=torch.float64), torch.rand(2, 5, 3, dtype=torch.float64), \
        torch.linspace(1, 2, 5, dtype=torch.float64).expand(2, 5)
    colour, depth, w = kata.render_rays(sigma, rgb, t)
    assert_close(w, torch.zeros(2, 5), rtol=0, atol=0, name="weights with sigma = 0", call="render_rays(sigma=0)")
    assert_close(colour, torch.zeros(2, 3), rtol=0, atol=0, name="colour with sigma = 0", call="render_rays(sigma=0)")


@settings(max_examples=10)
@given(seed=seeds())
def test_rendering_is_differentiable(kata, seed):
    sigma, rgb, t = rays(seed, 2, 6)
    s1, c1 = sigma.clone().requires_grad_(), rgb.clone().requires_grad_()
    s2, c2 = sigma.clone().requires_grad_(), rgb.clone().requires_grad_()
    kata.render_rays(s1, c1, t)[0].sum().backward()
    delta = torch.cat([t[:, 1:] - t[:, :-1], torch.full_like(t[:, :1], 1e10)], 1)
    tau = s2 * delta
    trans = torch.exp(-torch.cat([torch.zeros_like(tau[:, :1]), torch.cumsum(tau, 1)[:, :-1]], 1))
    ((trans * -torch.expm1(-tau))[..., None] * c2).sum(1).sum().backward()
    assert s1.grad is not None and c1.grad is not None, "render_rays' colour does not reach sigma and rgb"
    assert_close(s1.grad, s2.grad, rtol=1e-8, atol=1e-10, name="d colour / d sigma", call="render_rays(...)")
    assert_close(c1.grad, c2.grad, rtol=1e-8, atol=1e-10, name="d colour / d rgb", call="render_rays(...)")
