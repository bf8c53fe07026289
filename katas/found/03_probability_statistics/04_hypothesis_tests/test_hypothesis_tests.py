"""Tests for found-03-4, t-tests and the chi-square test of independence.

References: scipy.stats.ttest_1samp, scipy.stats.ttest_ind (equal_var True and False) and
scipy.stats.chi2_contingency(correction=False); and, over a FIXED list of seeds (a verdict never
changes between runs), the defining property of a p-value: under the null hypothesis it is uniform,
so about 5% of p-values fall below 0.05 (the accepted band 2–9% over 400 runs has a false-alarm
rate below 1e-3 for a correct test).
"""
import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from scipy import stats

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, call_unmodified, describe_call

NULL_SEEDS = range(500, 900)


@given(n=st.integers(2, 40), seed=seeds(), mu=st.sampled_from([0.0, 0.5, 3.0]), mu0=st.sampled_from([0.0, 1.0]))
@example(n=2, seed=0, mu=0.0, mu0=0.0)
@example(n=10, seed=1, mu=3.0, mu0=0.0)  # t > 0 and t < 0 must both give p in [0, 1]
@example(n=10, seed=2, mu=-3.0, mu0=0.0)
def test_one_sample_t_matches_scipy(kata, n, seed, mu, mu0):
    x = np.random.default_rng(seed).normal(mu, 2.0, n)
    call = describe_call("one_sample_t", x, mu0)
    t, p = call_unmodified(kata.one_sample_t, x, mu0)
    ref = stats.ttest_1samp(x, mu0)
    assert_close(t, ref.statistic, rtol=1e-10, atol=1e-12, name="t", call=call)
    assert_close(p, ref.pvalue, rtol=1e-8, atol=1e-300, name="two-sided p", call=call)


@given(nx=st.integers(2, 30), ny=st.integers(2, 30), seed=seeds(), shift=st.sampled_from([0.0, 1.0, -2.0]),
       ratio=st.sampled_from([1.0, 5.0]), equal_var=st.booleans())
@example(nx=2, ny=2, seed=0, shift=0.0, ratio=1.0, equal_var=True)
@example(nx=3, ny=25, seed=1, shift=1.0, ratio=5.0, equal_var=False)  # unequal sizes and spreads: Welch differs
@example(nx=3, ny=25, seed=1, shift=1.0, ratio=5.0, equal_var=True)
def test_two_sample_t_matches_scipy(kata, nx, ny, seed, shift, ratio, equal_var):
    rng = np.random.default_rng(seed)
    x, y = rng.normal(0.0, 1.0, nx), rng.normal(shift, ratio, ny)
    call = describe_call("two_sample_t", x, y, equal_var=equal_var)
    t, p, df = call_unmodified(kata.two_sample_t, x, y, equal_var=equal_var)
    ref = stats.ttest_ind(x, y, equal_var=equal_var)
    assert_close(t, ref.statistic, rtol=1e-10, atol=1e-12, name="t", call=call)
    assert_close(df, ref.df, rtol=1e-10, atol=0, name="degrees of freedom", call=call)
    assert_close(p, ref.pvalue, rtol=1e-8, atol=1e-300, name="two-sided p", call=call)


def table_from(seed: int, r: int, c: int, dependent: bool) -> np.ndarray:
    rng = np.random.default_rng(seed)
    probs = rng.dirichlet(np.ones(r * c)).reshape(r, c) if dependent else np.outer(rng.dirichlet(np.ones(r)),
                                                                                  rng.dirichlet(np.ones(c)))
    return rng.multinomial(200, probs.ravel()).reshape(r, c) + 1  # +1: no empty row or column


@given(r=st.integers(2, 5), c=st.integers(2, 5), seed=seeds(), dependent=st.booleans())
@example(r=2, c=2, seed=0, dependent=True)  # 2x2: scipy would apply Yates' correction unless told not to
def test_chi2_matches_scipy(kata, r, c, seed, dependent):
    table = table_from(seed, r, c, dependent)
    call = describe_call("chi2_independence", table)
    chi2, p, dof, expected = call_unmodified(kata.chi2_independence, table)
    ref = stats.chi2_contingency(table, correction=False)
    assert_close(expected, ref.expected_freq, rtol=1e-12, atol=0, name="expected counts", call=call)
    assert_close(chi2, ref.statistic, rtol=1e-10, atol=1e-12, name="chi2", call=call)
    assert_equal(dof, ref.dof, name="dof = (r − 1)(c − 1)", call=call)
    assert isinstance(dof, int | np.integer), f"{call} returned dof {dof!r}, expected an int"
    assert_close(p, ref.pvalue, rtol=1e-8, atol=1e-300, name="p", call=call)


def test_a_zero_cell_is_allowed(kata):
    """A cell may be 0 as long as its row and column are not: [[0, 5], [3, 4]] is a valid table."""
    table = np.array([[0, 5], [3, 4]])
    chi2, p, dof, expected = kata.chi2_independence(table)
    ref = stats.chi2_contingency(table, correction=False)
    assert_close([chi2, p], [ref.statistic, ref.pvalue], rtol=1e-10, atol=0, name="(chi2, p)",
                 call="chi2_independence([[0, 5], [3, 4]])")


def test_p_values_are_uniform_under_the_null(kata):
    rng_tables = [table_from(s, 3, 4, dependent=False) for s in NULL_SEEDS]
    checks = {
        "one_sample_t": [kata.one_sample_t(np.random.default_rng(s).normal(2.0, 3.0, 8), 2.0)[1] for s in NULL_SEEDS],
        "two_sample_t (Welch)": [kata.two_sample_t(*np.random.default_rng(s).normal(0, [[1.0], [4.0]], (2, 6)),
                                                   equal_var=False)[1] for s in NULL_SEEDS],
        "chi2_independence": [kata.chi2_independence(t)[1] for t in rng_tables],
    }
    for name, ps in checks.items():
        ps = np.asarray(ps)
        assert np.all((ps >= 0) & (ps <= 1)), f"{name} returned p-values outside [0, 1]: {ps[(ps < 0) | (ps > 1)][:3]}"
        rate = float(np.mean(ps < 0.05))
        assert 0.02 <= rate <= 0.09, (f"{name}: {rate:.1%} of 400 p-values under H0 fall below 0.05, expected about 5% "
                                      "(one-sided p-values give about 2.5% or 52.5%; a wrong df or variance shifts it)")


def test_invalid_inputs_raise(kata):
    cases = [(kata.one_sample_t, (np.array([1.0]),), "one value"),
             (kata.two_sample_t, (np.array([1.0]), np.array([1.0, 2.0])), "one value in x"),
             (kata.two_sample_t, (np.array([1.0, 2.0]), np.array([3.0])), "one value in y"),
             (kata.chi2_independence, (np.array([1.0, 2.0, 3.0]),), "a 1-D table"),
             (kata.chi2_independence, (np.array([[1.0, 2.0, 3.0]]),), "a single row"),
             (kata.chi2_independence, (np.array([[2.0, -1.0], [3.0, 4.0]]),), "a negative count (its margins are still positive)"),
             (kata.chi2_independence, (np.array([[0.0, 0.0], [3.0, 4.0]]),), "a row of zeros")]
    for fn, args, why in cases:
        with pytest.raises(ValueError):
            fn(*args)
            pytest.fail(f"{describe_call(fn.__name__, *args)} returned instead of raising ValueError: {why}")
