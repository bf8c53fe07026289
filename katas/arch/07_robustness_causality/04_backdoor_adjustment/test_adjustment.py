"""Tests for arch-07-4, backdoor adjustment.

References: the adjustment formula evaluated by pandas-free group means written out; the x
coefficient of sklearn.linear_model.LinearRegression on [x, z]; and the causal ground truth of
simulated confounded data: the adjusted estimates recover the true effect where the naive contrast
does not.
"""
import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sklearn.linear_model import LinearRegression

from grader.strategies import seeds
from grader.testing import assert_close, call_unmodified, describe_call


@st.composite
def small_study(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    k = draw(st.integers(1, 3))
    rows = []
    for value in range(k):
        for treated in (0, 1):
            for _ in range(draw(st.integers(1, 4))):
                rows.append((treated, draw(st.integers(-5, 5)), value * 3))   # z values 0, 3, 6
    order = draw(st.permutations(list(range(len(rows)))))
    x, y, z = (np.array([rows[i][j] for i in order]) for j in range(3))
    return x, y.astype(np.float64), z


def formula(x: np.ndarray, y: np.ndarray, z: np.ndarray) -> float:
    out = 0.0
    for v in set(z.tolist()):
        t = [yy for xx, yy, zz in zip(x, y, z, strict=True) if zz == v and xx == 1]
        c = [yy for xx, yy, zz in zip(x, y, z, strict=True) if zz == v and xx == 0]
        out += (sum(t) / len(t) - sum(c) / len(c)) * sum(1 for zz in z if zz == v) / len(z)
    return out


@given(study=small_study())
@example(study=(np.array([1, 0, 1, 0]), np.array([5.0, 1.0, 9.0, 3.0]), np.array([0, 0, 1, 1])))
def test_adjustment_formula(kata, study):
    x, y, z = study
    call = describe_call("backdoor_adjusted_effect", x, y, z)
    got = call_unmodified(kata.backdoor_adjusted_effect, x, y, z, fn_name="backdoor_adjusted_effect")
    assert isinstance(got, float), f"{call} returned {type(got).__name__}, expected a Python float"
    assert_close(got, formula(x, y, z), rtol=1e-12, atol=1e-12, name="adjusted effect", call=call)


@given(study=small_study())
def test_naive_contrast(kata, study):
    x, y, _ = study
    call = describe_call("naive_effect", x, y)
    got = call_unmodified(kata.naive_effect, x, y, fn_name="naive_effect")
    assert isinstance(got, float), f"{call} returned {type(got).__name__}, expected a Python float"
    assert_close(got, y[x == 1].mean() - y[x == 0].mean(), rtol=1e-12, atol=1e-12, name="naive contrast", call=call)


@given(which=st.sampled_from(["no_treated", "no_control"]))
def test_positivity_violations_raise(kata, which):
    x = np.array([1, 0, 1, 1]) if which == "no_control" else np.array([1, 0, 0, 0])
    z = np.array([0, 0, 1, 1])
    with pytest.raises(ValueError):
        kata.backdoor_adjusted_effect(x, np.arange(4.0), z)
        pytest.fail(f"backdoor_adjusted_effect with a stratum lacking {which[3:]} units returned instead of raising")


@given(x=st.sampled_from([np.ones(3, dtype=int), np.zeros(3, dtype=int)]))
def test_naive_needs_both_groups(kata, x):
    with pytest.raises(ValueError):
        kata.naive_effect(x, np.arange(3.0))
        pytest.fail("naive_effect with only one group returned instead of raising ValueError")


@given(n=st.integers(6, 40), k=st.integers(1, 3), seed=seeds())
def test_regression_matches_sklearn(kata, n, k, seed):
    rng = np.random.default_rng(seed)
    x = rng.integers(0, 2, n)
    x[:2] = [0, 1]
    z = rng.standard_normal((n, k)) if k > 1 else rng.standard_normal(n)
    y = 1.5 * x + (z if k == 1 else z.sum(1)) + rng.standard_normal(n)
    call = describe_call("regression_adjusted_effect", x, y, z)
    got = call_unmodified(kata.regression_adjusted_effect, x, y, z, fn_name="regression_adjusted_effect")
    want = LinearRegression().fit(np.column_stack([x, z]), y).coef_[0]
    assert_close(got, want, rtol=1e-8, atol=1e-8, name="coefficient of x", call=call)


@settings(max_examples=5)
@given(seed=seeds(), ate=st.sampled_from([0.0, 1.0, -2.0]))
def test_adjustment_recovers_the_true_effect_where_naive_fails(kata, seed, ate):
    x, y, z = kata.simulate_confounded(20000, ate, seed)
    naive = kata.naive_effect(x, y)
    adjusted = kata.backdoor_adjusted_effect(x, y, z)
    regressed = kata.regression_adjusted_effect(x, y, z)
    # standard errors are about 0.02 here; the confounding bias of the naive contrast is about 1.4
    assert abs(adjusted - ate) < 0.1, f"backdoor adjustment estimates {adjusted:.3f}; the true effect is {ate}"
    assert abs(regressed - ate) < 0.1, f"regression adjustment estimates {regressed:.3f}; the true effect is {ate}"
    assert naive - ate > 0.8, (f"the naive contrast {naive:.3f} should be biased upward (true effect {ate}): z raises "
                               "both treatment and outcome")
