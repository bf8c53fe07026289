"""Tests for prod-04-1, exact Shapley values and Kernel SHAP.

References: the Shapley value as the average marginal contribution over all d! feature orders
(brute force, an independent formulation of the same number); the four Shapley axioms; the closed
form for a linear model, phi_i = w_i (x_i - mean(background_i)); and, for Kernel SHAP, the exact
values (the full-enumeration fit equals them; the sampled fit converges to them).
"""
from collections.abc import Callable
from itertools import permutations

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import seeds
from grader.testing import assert_close, assert_seeded, call_unmodified, describe_call


def make_model(seed: int, d: int) -> Callable[[np.ndarray], np.ndarray]:
    """A nonlinear model with pairwise interactions: f(z) = z.w + sum_ij A_ij z_i z_j + tanh(z.u)."""
    rng = np.random.default_rng(seed)
    w, u = rng.normal(size=d), rng.normal(size=d)
    a = np.triu(rng.normal(size=(d, d)), 1)
    return lambda z: z @ w + np.einsum("ni,ij,nj->n", z, a, z) + np.tanh(z @ u)


@st.composite
def games(draw: st.DrawFn, max_d: int = 5) -> tuple[Callable, np.ndarray, np.ndarray]:
    d = draw(st.integers(1, max_d))
    k = draw(st.integers(1, 3))
    rng = np.random.default_rng(draw(seeds()))
    return make_model(draw(seeds()), d), rng.normal(size=d), rng.normal(size=(k, d))


def permutation_shapley(f: Callable, x: np.ndarray, background: np.ndarray) -> np.ndarray:
    """Average over every order of the features of the marginal contribution of each feature."""
    d = x.size

    def v(members: set[int]) -> float:
        mask = np.array([i in members for i in range(d)])
        return float(np.mean(f(np.where(mask, x, background))))

    phi = np.zeros(d)
    orders = list(permutations(range(d)))
    for order in orders:
        members: set[int] = set()
        before = v(members)
        for i in order:
            members.add(i)
            after = v(members)
            phi[i] += after - before
            before = after
    return phi / len(orders)


@given(game=games())
@example(game=(make_model(0, 1), np.array([2.0]), np.array([[-1.0]])))    # one feature: f(x) - f(b)
@example(game=(make_model(1, 3), np.zeros(3), np.zeros((1, 3))))           # x = baseline: all zero
def test_exact_shapley_matches_permutation_average(kata, game):
    f, x, bg = game
    call = describe_call("exact_shapley", f, x, bg)
    got = call_unmodified(kata.exact_shapley, f, x, bg)
    # at most 2**5 model values combined with factorial weights: float64 rounding only
    assert_close(got, permutation_shapley(f, x, bg), rtol=1e-9, atol=1e-10, name="phi", call=call)


@given(game=games(max_d=6))
def test_exact_shapley_is_efficient(kata, game):
    f, x, bg = game
    phi = kata.exact_shapley(f, x, bg)
    want = f(x[None, :])[0] - f(bg).mean()
    assert_close(np.sum(phi), want, rtol=1e-9, atol=1e-10, name="sum(phi) vs f(x) - E f(background)",
                 call=describe_call("exact_shapley", f, x, bg))


@given(seed=seeds(), d=st.integers(3, 5), k=st.integers(1, 3))
def test_exact_shapley_symmetry_and_dummy(kata, seed, d, k):
    """Features 0 and 1 enter symmetrically, and the last feature is ignored by the model."""
    rng = np.random.default_rng(seed)
    c = rng.normal(size=3)
    f = lambda z: c[0] * (z[:, 0] + z[:, 1]) + c[1] * z[:, 0] * z[:, 1] + c[2] * np.sin(z[:, :-1].sum(axis=1))
    x = rng.normal(size=d)
    x[1] = x[0]
    bg = rng.normal(size=(k, d))
    bg[:, 1] = bg[:, 0]
    call = describe_call("exact_shapley", f, x, bg)
    phi = kata.exact_shapley(f, x, bg)
    assert_close(phi[1], phi[0], rtol=1e-9, atol=1e-10, name="phi_1 (symmetric to feature 0)", call=call)
    assert_close(phi[-1], 0.0, rtol=0, atol=1e-10, name="phi of the ignored (dummy) feature", call=call)


@given(g1=games(), seed=seeds())
def test_exact_shapley_is_additive(kata, g1, seed):
    f, x, bg = g1
    g = make_model(seed, x.size)
    both = kata.exact_shapley(lambda z: f(z) + g(z), x, bg)
    assert_close(both, kata.exact_shapley(f, x, bg) + kata.exact_shapley(g, x, bg), rtol=1e-9, atol=1e-10,
                 name="phi(f + g) vs phi(f) + phi(g)", call=describe_call("exact_shapley", "f + g", x, bg))


@given(seed=seeds(), d=st.integers(1, 6), k=st.integers(1, 4))
def test_linear_model_closed_form(kata, seed, d, k):
    rng = np.random.default_rng(seed)
    w, x, bg = rng.normal(size=d), rng.normal(size=d), rng.normal(size=(k, d))
    f = lambda z: z @ w + 3.0
    want = w * (x - bg.mean(axis=0))
    for name in ("exact_shapley", "kernel_shap"):
        got = getattr(kata, name)(f, x, bg)
        assert_close(got, want, rtol=1e-9, atol=1e-10, name="phi (w_i (x_i - mean b_i))",
                     call=describe_call(name, f, x, bg))


@given(game=games(max_d=6))
@example(game=(make_model(3, 1), np.array([0.5]), np.array([[1.0], [-2.0]])))
@example(game=(make_model(4, 2), np.array([0.5, -1.0]), np.array([[1.0, 2.0]])))
def test_kernel_shap_full_enumeration_equals_exact(kata, game):
    f, x, bg = game
    call = describe_call("kernel_shap", f, x, bg, n_samples=None)
    got = call_unmodified(kata.kernel_shap, f, x, bg, n_samples=None)
    # a small weighted least-squares solve: float64 rounding only
    assert_close(got, permutation_shapley(f, x, bg), rtol=1e-8, atol=1e-9, name="phi", call=call)


@settings(max_examples=10)
@given(game=games(max_d=5), seed=seeds(), n_samples=st.sampled_from([1, 3, 17]))
@example(game=(make_model(5, 1), np.array([0.5]), np.array([[1.0]])), seed=0, n_samples=1)
def test_sampled_kernel_shap_is_exactly_efficient(kata, game, seed, n_samples):
    f, x, bg = game
    call = describe_call("kernel_shap", f, x, bg, n_samples=n_samples, seed=seed)
    phi = call_unmodified(kata.kernel_shap, f, x, bg, n_samples=n_samples, seed=seed)
    want = f(x[None, :])[0] - f(bg).mean()
    assert_close(np.sum(phi), want, rtol=1e-9, atol=1e-10, name="sum(phi) vs f(x) - E f(background)", call=call)


@settings(max_examples=5)
@given(game=games(max_d=5), seed=seeds())
def test_sampled_kernel_shap_converges_to_exact(kata, game, seed):
    """With many coalitions drawn from the Shapley kernel the fit approaches the exact values."""
    f, x, bg = game
    exact = permutation_shapley(f, x, bg)
    got = kata.kernel_shap(f, x, bg, n_samples=3000, seed=seed)
    scale = max(float(np.abs(exact).max()), 0.1)
    # Monte-Carlo error of 3000 coalitions: worst of 150 random games was 12% of the largest attribution
    assert_close(got, exact, rtol=0, atol=0.25 * scale, name="phi from 3000 sampled coalitions",
                 call=describe_call("kernel_shap", f, x, bg, n_samples=3000, seed=seed))


@given(seed=seeds())
def test_sampled_kernel_shap_is_seeded(kata, seed):
    f, x, bg = make_model(7, 4), np.array([1.0, -0.5, 2.0, 0.3]), np.array([[0.0, 0.2, -1.0, 0.4]])
    assert_seeded(lambda s: kata.kernel_shap(f, x, bg, n_samples=4, seed=s), seed, name="Kernel SHAP values")


def test_kernel_shap_default_seed_is_zero(kata):
    f, x, bg = make_model(8, 4), np.array([1.0, -0.5, 2.0, 0.3]), np.array([[0.0, 0.2, -1.0, 0.4]])
    assert_close(kata.kernel_shap(f, x, bg, n_samples=5), kata.kernel_shap(f, x, bg, n_samples=5, seed=0),
                 rtol=0, atol=0, name="phi with the default seed vs seed=0",
                 call=describe_call("kernel_shap", f, x, bg, n_samples=5))


def test_rejects_bad_inputs(kata):
    f = make_model(0, 2)
    cases = [(np.zeros(0), np.zeros((1, 0)), {}, "an empty x"), (np.zeros((1, 2)), np.zeros((1, 2)), {}, "a 2-D x"),
             (np.zeros(2), np.zeros(2), {}, "a 1-D background"), (np.zeros(2), np.zeros((1, 3)), {}, "widths 2 and 3"),
             (np.zeros(2), np.zeros((0, 2)), {}, "an empty background")]
    for name in ("exact_shapley", "kernel_shap"):
        for x, bg, kwargs, why in cases:
            with pytest.raises(ValueError):
                getattr(kata, name)(f, x, bg, **kwargs)
                pytest.fail(f"{name} with {why} returned instead of raising ValueError")
    with pytest.raises(ValueError):
        kata.kernel_shap(f, np.zeros(2), np.ones((1, 2)), n_samples=0)
        pytest.fail("kernel_shap with n_samples=0 returned instead of raising ValueError")


@settings(max_examples=10)
@given(game=games(max_d=5), seed=seeds(), n_samples=st.sampled_from([2, 9, 40]), offset=st.sampled_from([-50.0, 1000.0]))
def test_sampled_kernel_shap_ignores_a_constant_offset(kata, game, seed, n_samples, offset):
    """f + c has the same v(S) - v(empty) for every S: the same draw must give the same attributions."""
    f, x, bg = game
    call = describe_call("kernel_shap", f"f + {offset:g}", x, bg, n_samples=n_samples, seed=seed)
    got = kata.kernel_shap(lambda z: f(z) + offset, x, bg, n_samples=n_samples, seed=seed)
    want = kata.kernel_shap(f, x, bg, n_samples=n_samples, seed=seed)
    # the offset cancels in v(S) - v(empty) up to rounding of values near |offset|
    assert_close(got, want, rtol=1e-6, atol=1e-8, name="phi of f + c vs phi of f", call=call)
