"""Tests for nlp-21-1, Performer (FAVOR+), Linformer and FNet.

References: FAVOR+ positive random features are an unbiased estimator of the softmax kernel exp(q.k)
(Choromanski et al. 2021, Lemma 1): the mean over 20,000 features must agree with exp(q.k) within six
standard errors estimated from the same draws; Performer's linear-time attention must equal the
quadratic form D^-1 (phi(Q) phi(K)^T) V built here, and approach softmax attention as the number of
features grows; Linformer must equal torch.nn.functional.scaled_dot_product_attention on the
projected keys and values (and exact attention with identity projections); FNet must equal the real
part of numpy.fft.fft2 over (sequence, hidden); orthogonal features are checked for orthogonality.
"""
import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import seeds, torch_float_dtypes
from grader.testing import (
    assert_close,
    assert_dtype,
    assert_seeded,
    assert_shape,
    call_unmodified,
    describe_call,
)


def rand(seed: int, *shape: int, dtype: torch.dtype = torch.float64, scale: float = 1.0) -> torch.Tensor:
    return (torch.randn(*shape, generator=torch.Generator().manual_seed(seed), dtype=torch.float64) * scale).to(dtype)


@given(m=st.integers(1, 40), d=st.integers(1, 8), orthogonal=st.booleans(), dtype=torch_float_dtypes(), seed=seeds())
@example(m=8, d=8, orthogonal=True, dtype=torch.float64, seed=0)
@example(m=9, d=4, orthogonal=True, dtype=torch.float32, seed=1)   # a partial last block
def test_draw_omega(kata, m, d, orthogonal, dtype, seed):
    call = describe_call("draw_omega", m, d, "generator", orthogonal=orthogonal, dtype=dtype)
    omega = kata.draw_omega(m, d, torch.Generator().manual_seed(seed), orthogonal=orthogonal, dtype=dtype)
    assert_shape(omega, (m, d), name="omega", call=call)
    assert_dtype(omega, dtype, name="omega", call=call)
    assert_seeded(lambda s: kata.draw_omega(m, d, torch.Generator().manual_seed(s), orthogonal=orthogonal), seed,
                  name="omega")
    if orthogonal:
        w = omega.double()
        for start in range(0, m, d):
            block = w[start:start + d]
            gram = block @ block.T
            off = gram - torch.diag(torch.diagonal(gram))
            # float32 storage: products of O(sqrt(d)) numbers, relative 1e-6.
            assert off.abs().max() <= 1e-5 * max(1.0, gram.abs().max().item()), (
                f"{call}: rows {start}..{start + len(block) - 1} are not orthogonal (largest off-diagonal "
                f"{off.abs().max().item():.3g}); orthogonal features come in blocks of d mutually orthogonal rows")


@settings(max_examples=10)
@given(d=st.integers(1, 6), orthogonal=st.booleans(), seed=seeds())
@example(d=1, orthogonal=False, seed=0)
@example(d=6, orthogonal=True, seed=0)
def test_favor_features_are_unbiased(kata, d, orthogonal, seed):
    """Orthogonal features are unbiased too, if each block is a uniformly random rotation: the standard
    error estimated as if the features were independent is conservative for them."""
    q, k = rand(seed, d, scale=0.7), rand(seed + 1, d, scale=0.7)
    m = 20_000
    omega = kata.draw_omega(m, d, torch.Generator().manual_seed(seed + 2), orthogonal=orthogonal, dtype=torch.float64)
    fq = kata.favor_features(q[None], omega)[0]
    fk = kata.favor_features(k[None], omega)[0]
    assert_shape(fq, (m,), name="features", call=describe_call("favor_features", q[None], omega))
    terms = (fq * fk * m).numpy()       # one unbiased estimate per feature
    est, se = terms.mean(), terms.std() / math.sqrt(m)
    want = math.exp(float(q @ k))
    assert abs(est - want) <= 6 * se + 1e-12, (
        f"phi(q).phi(k) over {m} random features = {est:.5f}, but exp(q.k) = {want:.5f} (6 standard errors = "
        f"{6 * se:.5f}): phi(x) = exp(omega x - |x|^2 / 2) / sqrt(m) is unbiased for exp(q.k)")
    assert np.all(terms > 0), "FAVOR+ features must be positive"


@given(b=st.integers(1, 2), t=st.integers(1, 12), d=st.integers(1, 8), m=st.integers(1, 16),
       dtype=torch_float_dtypes(), seed=seeds())
@example(b=1, t=1, d=1, m=1, dtype=torch.float64, seed=0)
def test_performer_equals_its_quadratic_form(kata, b, t, d, m, dtype, seed):
    q, k, v = (rand(seed + i, b, t, d, dtype=dtype, scale=0.5) for i in range(3))
    omega = rand(seed + 3, m, d, dtype=dtype)
    call = describe_call("performer_attention", q, k, v, omega)
    got = call_unmodified(kata.performer_attention, q, k, v, omega)
    s = d ** -0.25
    qd, kd, om = q.double() * s, k.double() * s, omega.double()
    phi_q = torch.exp(qd @ om.T - (qd ** 2).sum(-1, keepdim=True) / 2) / math.sqrt(m)
    phi_k = torch.exp(kd @ om.T - (kd ** 2).sum(-1, keepdim=True) / 2) / math.sqrt(m)
    a_hat = phi_q @ phi_k.transpose(-2, -1)
    want = (a_hat / a_hat.sum(-1, keepdim=True)) @ v.double()
    assert_dtype(got, q, call=call)
    tol = dict(rtol=1e-4, atol=1e-5) if dtype == torch.float32 else dict(rtol=1e-10, atol=1e-12)
    assert_close(got, want, **tol, name="D^-1 (phi(Q) phi(K)^T) V", call=call)


@settings(max_examples=3)  # 8 Performer runs with up to 2048 features each
@given(t=st.integers(4, 16), d=st.integers(2, 8), seed=seeds())
def test_performer_approaches_softmax_attention(kata, t, d, seed):
    q, k, v = (rand(seed + i, 1, t, d, scale=0.5) for i in range(3))
    exact = F.scaled_dot_product_attention(q, k, v)
    errors = []
    for m in (16, 2048):
        trials = [kata.performer_attention(q, k, v, kata.draw_omega(m, d, torch.Generator().manual_seed(seed + r),
                                                                   orthogonal=True, dtype=torch.float64))
                  for r in range(4)]
        errors.append(float(np.mean([(tr - exact).abs().mean().item() for tr in trials])))
    # the error of a Monte Carlo estimate shrinks like 1/sqrt(m): 11x from 16 to 2048 features; ask for 3x.
    assert errors[1] < errors[0] / 3, (
        f"mean absolute error to softmax attention: {errors[0]:.4f} with 16 features, {errors[1]:.4f} with 2048; it "
        f"should shrink like 1/sqrt(m) as the feature count grows")


@given(b=st.integers(1, 2), t=st.integers(1, 12), p=st.integers(1, 6), d=st.integers(1, 8),
       dtype=torch_float_dtypes(), seed=seeds())
@example(b=1, t=3, p=1, d=2, dtype=torch.float32, seed=0)
def test_linformer_is_attention_over_projected_keys(kata, b, t, p, d, dtype, seed):
    q, k, v = (rand(seed + i, b, t, d, dtype=dtype) for i in range(3))
    E, Fm = rand(seed + 3, p, t, dtype=dtype) / math.sqrt(t), rand(seed + 4, p, t, dtype=dtype) / math.sqrt(t)
    call = describe_call("linformer_attention", q, k, v, E, Fm)
    got = call_unmodified(kata.linformer_attention, q, k, v, E, Fm)
    want = F.scaled_dot_product_attention(q.double(), E.double() @ k.double(), Fm.double() @ v.double())
    assert_dtype(got, q, call=call)
    tol = dict(rtol=1e-5, atol=1e-6) if dtype == torch.float32 else dict(rtol=1e-10, atol=1e-12)
    assert_close(got, want, **tol, name="softmax(Q (E K)^T / sqrt(d)) (F V)", call=call)
    eye = torch.eye(t, dtype=dtype)
    assert_close(kata.linformer_attention(q, k, v, eye, eye), F.scaled_dot_product_attention(q.double(), k.double(),
                 v.double()), **tol, name="output with identity projections (exact attention)", call=call)


@given(b=st.integers(1, 2), t=st.integers(1, 12), d=st.integers(1, 8), dtype=torch_float_dtypes(), seed=seeds())
@example(b=1, t=1, d=1, dtype=torch.float32, seed=0)
def test_fnet_mixing_is_the_real_2d_fourier_transform(kata, b, t, d, dtype, seed):
    x = rand(seed, b, t, d, dtype=dtype)
    call = describe_call("fnet_mixing", x)
    got = call_unmodified(kata.fnet_mixing, x)
    assert_dtype(got, x, call=call)
    want = np.fft.fft2(x.double().numpy(), axes=(-2, -1)).real
    tol = dict(rtol=1e-5, atol=1e-5 * math.sqrt(t * d)) if dtype == torch.float32 else dict(rtol=1e-10, atol=1e-10)
    assert_close(got, want, **tol, name="Re(FFT_seq(FFT_hidden(x)))", call=call)


def test_draw_omega_rejects_empty_sizes(kata):
    with pytest.raises(ValueError):
        kata.draw_omega(0, 4, torch.Generator().manual_seed(0))
    with pytest.raises(ValueError):
        kata.draw_omega(4, 0, torch.Generator().manual_seed(0))
