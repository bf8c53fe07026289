"""Tests for prod-04-2, LIME local surrogates.

References: sklearn's Ridge / LinearRegression with sample_weight (the weighted fit, and the whole
explanation rebuilt from the draw the docstring fixes); the lime package's kernel formula
sqrt(exp(-d^2 / w^2)); and exact recovery of a model that is linear on the neighbourhood of x.
"""
import warnings

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sklearn.linear_model import LinearRegression, Ridge

from grader.strategies import seeds
from grader.testing import assert_close, assert_seeded, call_unmodified, describe_call

ALPHAS = st.sampled_from([0.0, 0.5, 3.0])


def sklearn_fit(z: np.ndarray, y: np.ndarray, w: np.ndarray, alpha: float) -> tuple[float, np.ndarray]:
    model = LinearRegression() if alpha == 0 else Ridge(alpha=alpha)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(z, y, sample_weight=w)
    return float(model.intercept_), model.coef_


def bumpy(z: np.ndarray) -> np.ndarray:
    """A smooth nonlinear model with interactions."""
    return np.sin(z[:, 0]) * z[:, -1] + 0.5 * z.sum(axis=1) ** 2


@given(seed=seeds(), n=st.integers(1, 20), width=st.sampled_from([0.25, 0.75, 1.5, 4.0]))
@example(seed=0, n=1, width=0.75)
def test_kernel_matches_lime_formula(kata, seed, n, width):
    d = np.abs(np.random.default_rng(seed).normal(scale=2.0, size=n))
    d[0] = 0.0                                    # the instance itself weighs 1
    call = describe_call("lime_kernel", d, width)
    got = call_unmodified(kata.lime_kernel, d, width)
    assert_close(got, np.sqrt(np.exp(-(d**2) / width**2)), rtol=1e-12, atol=1e-15, name="weights", call=call)


def test_kernel_rejects_non_positive_width(kata):
    for width in (0.0, -1.0):
        with pytest.raises(ValueError):
            kata.lime_kernel(np.ones(3), width)
            pytest.fail(f"lime_kernel(..., kernel_width={width}) returned instead of raising ValueError")


@given(seed=seeds(), d=st.integers(1, 4), extra=st.integers(2, 20), alpha=ALPHAS)
@example(seed=1, d=1, extra=2, alpha=0.0)
def test_weighted_fit_matches_sklearn(kata, seed, d, extra, alpha):
    rng = np.random.default_rng(seed)
    n = d + extra
    z, y = rng.normal(size=(n, d)) * 3 + 1, rng.normal(size=n) + 5
    w = rng.random(n) ** 2
    w[0] = 0.0                                   # a zero weight drops a row
    call = describe_call("weighted_linear_fit", z, y, w, alpha=alpha)
    b, coef = call_unmodified(kata.weighted_linear_fit, z, y, w, alpha=alpha)
    want_b, want_coef = sklearn_fit(z, y, w, alpha)
    # small normal-equation solves in float64 vs sklearn's solver
    assert_close(coef, want_coef, rtol=1e-7, atol=1e-9, name="coef", call=call)
    assert_close(b, want_b, rtol=1e-7, atol=1e-9, name="intercept", call=call)


@given(seed=seeds())
def test_weighted_fit_default_is_unpenalised(kata, seed):
    rng = np.random.default_rng(seed)
    z, y, w = rng.normal(size=(12, 3)), rng.normal(size=12), rng.random(12)
    b, coef = kata.weighted_linear_fit(z, y, w)
    want_b, want_coef = sklearn_fit(z, y, w, 0.0)
    assert_close(np.append(coef, b), np.append(want_coef, want_b), rtol=1e-7, atol=1e-9,
                 name="(coef, intercept) with alpha=0", call=describe_call("weighted_linear_fit", z, y, w))


def test_weighted_fit_rejects_bad_inputs(kata):
    z, y, w = np.ones((4, 2)), np.ones(4), np.ones(4)
    cases = [((z, y, w), {"alpha": -1.0}, "alpha=-1"), ((z, np.ones(3), w), {}, "4 rows but 3 targets"),
             ((z, y, np.ones(5)), {}, "4 rows but 5 weights"), ((np.ones(4), y, w), {}, "a 1-D z")]
    for args, kwargs, why in cases:
        with pytest.raises(ValueError):
            kata.weighted_linear_fit(*args, **kwargs)
            pytest.fail(f"weighted_linear_fit with {why} returned instead of raising ValueError")


@settings(max_examples=20)
@given(seed=seeds(), d=st.integers(1, 4), n_samples=st.sampled_from([1, 2, 8, 50, 300]),
       scale_kind=st.sampled_from(["float", "array"]), width=st.sampled_from([None, 0.3, 2.0]), alpha=ALPHAS)
@example(seed=4, d=2, n_samples=1, scale_kind="float", width=None, alpha=0.0)   # one sample: a constant fit
def test_explanation_matches_sklearn_on_the_same_draw(kata, seed, d, n_samples, scale_kind, width, alpha):
    rng = np.random.default_rng(seed + 1)
    x = rng.normal(size=d)
    scale = 0.7 if scale_kind == "float" else rng.uniform(0.2, 2.0, size=d)
    call = describe_call("lime_explain", bumpy, x, scale, n_samples=n_samples, kernel_width=width, alpha=alpha,
                         seed=seed)
    b, coef = call_unmodified(kata.lime_explain, bumpy, x, scale, n_samples=n_samples, kernel_width=width,
                              alpha=alpha, seed=seed)
    eps = np.random.default_rng(seed).standard_normal((n_samples, d))
    z = x + scale * eps
    kw = 0.75 * np.sqrt(d) if width is None else width
    weights = np.sqrt(np.exp(-np.sum(eps**2, axis=1) / kw**2))
    want_b, want_coef = sklearn_fit(z, bumpy(z), weights, alpha)
    assert_close(coef, want_coef, rtol=1e-6, atol=1e-8, name="coef", call=call)
    assert_close(b, want_b, rtol=1e-6, atol=1e-8, name="intercept", call=call)


@given(seed=seeds(), d=st.integers(1, 5), n_samples=st.sampled_from([20, 200]))
def test_recovers_a_linear_model_exactly(kata, seed, d, n_samples):
    rng = np.random.default_rng(seed)
    w, x, c = rng.normal(size=d), rng.normal(size=d), float(rng.normal() * 10)
    f = lambda z: z @ w + c
    b, coef = kata.lime_explain(f, x, 1.3, n_samples=n_samples, seed=seed)
    call = describe_call("lime_explain", f, x, 1.3, n_samples=n_samples, seed=seed)
    assert_close(coef, w, rtol=1e-8, atol=1e-9, name="coef of a linear model", call=call)
    assert_close(b, c, rtol=1e-8, atol=1e-8, name="intercept of a linear model", call=call)


@given(seed=seeds(), d=st.integers(2, 4), side=st.sampled_from([-1.0, 1.0]))
def test_recovers_the_local_piece_of_a_piecewise_linear_model(kata, seed, d, side):
    """f switches slope at z_0 = 0; around x_0 = +-3 with scale 0.1 only one piece is ever seen."""
    rng = np.random.default_rng(seed)
    w_pos, w_neg = rng.normal(size=d), rng.normal(size=d)
    f = lambda z: np.where(z[:, :1] > 0, z @ w_pos[:, None] + 1.0, z @ w_neg[:, None] - 2.0)[:, 0]
    x = rng.normal(size=d)
    x[0] = 3.0 * side
    b, coef = kata.lime_explain(f, x, 0.1, n_samples=100, seed=seed)
    assert_close(coef, w_pos if side > 0 else w_neg, rtol=1e-7, atol=1e-8, name="local slope",
                 call=describe_call("lime_explain", f, x, 0.1, n_samples=100, seed=seed))


@given(seed=seeds())
def test_is_seeded(kata, seed):
    x = np.array([0.5, -1.0, 2.0])
    assert_seeded(lambda s: kata.lime_explain(bumpy, x, 1.0, n_samples=10, seed=s), seed, name="surrogate")


def test_defaults(kata):
    x = np.array([0.5, -1.0, 2.0])
    got = kata.lime_explain(bumpy, x, 0.5)
    want = kata.lime_explain(bumpy, x, 0.5, n_samples=1000, kernel_width=0.75 * np.sqrt(3), alpha=0.0, seed=0)
    assert_close(np.append(got[1], got[0]), np.append(want[1], want[0]), rtol=1e-12, atol=1e-12,
                 name="(coef, intercept) with defaults vs n_samples=1000, kernel_width=0.75*sqrt(d), alpha=0, seed=0",
                 call=describe_call("lime_explain", bumpy, x, 0.5))


def test_explain_rejects_bad_arguments(kata):
    x = np.zeros(2)
    cases = [({"scale": 1.0, "n_samples": 0}, "n_samples=0"), ({"scale": 0.0}, "scale=0"),
             ({"scale": np.array([1.0, -1.0])}, "a negative scale")]
    for kwargs, why in cases:
        with pytest.raises(ValueError):
            kata.lime_explain(bumpy, x, **kwargs)
            pytest.fail(f"lime_explain with {why} returned instead of raising ValueError")
