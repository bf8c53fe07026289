"""Tests for dl-08-4, exponentiated gradient on the simplex.

References: scipy.special.softmax(log x − η g), the closed form of the KL-proximal step
argmin_y η⟨g, y⟩ + KL(y ‖ x); scipy.optimize.minimize (SLSQP) on that same proximal problem; and
convergence to the known minimiser softmax(−c/τ) of ⟨c, x⟩ + τ Σ x log x.
"""
import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize
from scipy.special import softmax

from grader.strategies import seeds
from grader.testing import assert_close, assert_shape, call_unmodified, describe_call


def simplex_point(rng: np.random.Generator, d: int) -> np.ndarray:
    x = rng.random(d) + 0.05
    return x / x.sum()


@given(seed=seeds(), d=st.integers(1, 8), lr=st.sampled_from([0.01, 0.5, 3.0]), scale=st.sampled_from([1.0, 1e3]))
@example(seed=0, d=3, lr=3.0, scale=1e3)  # lr·g up to ~1e4: exp overflows without the max shift
def test_step_matches_the_closed_form(kata, seed, d, lr, scale):
    rng = np.random.default_rng(seed)
    x, g = simplex_point(rng, d), rng.standard_normal(d) * scale
    call = describe_call(f"eg_step(lr={lr})", x, g)
    with np.errstate(over="raise", invalid="raise", under="ignore", divide="raise"):
        try:
            got = call_unmodified(kata.eg_step, x, g, lr, fn_name="eg_step")
        except FloatingPointError as e:
            raise AssertionError(f"{call} overflowed ({e}): subtract the maximum before exponentiating") from None
    assert_shape(got, (d,), call=call)
    assert_close(got, softmax(np.log(x) - lr * g), rtol=1e-10, atol=1e-300, name="x ⊙ exp(−η g), normalised",
                 call=call)
    assert_close(got.sum(), 1.0, rtol=0, atol=1e-12, name="sum of the new point", call=call)


@settings(max_examples=15)
@given(seed=seeds(), d=st.integers(2, 5), lr=st.sampled_from([0.1, 1.0]))
def test_step_solves_the_kl_proximal_problem(kata, seed, d, lr):
    """EG is mirror descent with the entropy: its step minimises η⟨g, y⟩ + KL(y ‖ x) over the simplex."""
    rng = np.random.default_rng(seed)
    x, g = simplex_point(rng, d), rng.standard_normal(d)

    def objective(y: np.ndarray) -> float:
        y = np.clip(y, 1e-12, None)
        return float(lr * g @ y + np.sum(y * np.log(y / x)))

    res = minimize(objective, x, method="SLSQP", bounds=[(1e-12, 1)] * d,
                   constraints=[{"type": "eq", "fun": lambda y: y.sum() - 1}], options={"ftol": 1e-14, "maxiter": 500})
    got = kata.eg_step(x, g, lr)
    assert_close(got, res.x, rtol=0, atol=1e-4, name="EG step (vs SLSQP on η⟨g, y⟩ + KL(y ‖ x))",
                 call=describe_call(f"eg_step(lr={lr})", x, g))


@given(seed=seeds(), d=st.integers(2, 6), tau=st.sampled_from([0.2, 1.0]))
@example(seed=1, d=4, tau=0.2)
def test_converges_to_the_entropy_regularised_optimum(kata, seed, d, tau):
    """min ⟨c, x⟩ + τ Σ x log x over the simplex is attained at softmax(−c/τ). In log space each EG step
    contracts the distance to it by |1 − lr·τ| (0.9 or 0.5 here), so 300 steps reach it to ~1e-14."""
    rng = np.random.default_rng(seed)
    c = rng.standard_normal(d)
    x0 = np.full(d, 1 / d)
    call = describe_call(f"mirror_descent(grad of ⟨c, x⟩ + {tau} Σ x log x, lr=0.5, steps=300)", x0)
    xs = call_unmodified(kata.mirror_descent, lambda x: c + tau * (np.log(x) + 1), x0, 0.5, 300,
                         fn_name="mirror_descent")
    assert_shape(xs, (301, d), name="iterates x_0 … x_300", call=call)
    assert_close(xs[0], x0, rtol=0, atol=0, name="x_0", call=call)
    step = x0 * np.exp(-0.5 * (c + tau * (np.log(x0) + 1)))  # one EG step with lr = 0.5: x ∝ x·exp(−lr·g)
    assert_close(xs[1], step / step.sum(), rtol=1e-12, atol=1e-15, name="x_1 (one EG step with lr=0.5)", call=call)
    assert_close(xs.sum(axis=1), np.ones(301), rtol=0, atol=1e-12, name="sums of every iterate", call=call)
    assert np.all(xs > 0), f"{call}: an iterate left the open simplex"
    assert_close(xs[-1], softmax(-c / tau), rtol=1e-6, atol=1e-9, name="x_300 (vs softmax(−c/τ))", call=call)


@given(seed=seeds(), d=st.integers(2, 6))
def test_linear_objective_concentrates_on_the_best_vertex(kata, seed, d):
    rng = np.random.default_rng(seed)
    c = rng.permutation(d).astype(float)  # distinct costs: a unique best vertex
    xs = kata.mirror_descent(lambda x: c, np.full(d, 1 / d), 1.0, 50)
    # cost gaps ≥ 1 and 50 steps of lr 1: every other vertex keeps at most e^-50 of its mass
    assert xs[-1][np.argmin(c)] > 1 - 1e-12, (
        f"after 50 EG steps on ⟨c, x⟩ the mass on the best vertex is {xs[-1][np.argmin(c)]:.6g}")
    values = xs @ c
    assert np.all(np.diff(values) <= 1e-12), "⟨c, x_t⟩ should never increase along EG on a linear objective"


@given(x0=st.sampled_from([[0.5, 0.6], [1.0, 0.0], [-0.1, 1.1], [0.3, 0.3, 0.3]]))
def test_rejects_points_off_the_simplex(kata, x0):
    with pytest.raises(ValueError):
        kata.mirror_descent(lambda x: x, np.array(x0), 0.1, 3)
