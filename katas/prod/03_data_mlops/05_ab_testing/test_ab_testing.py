"""Tests for prod-03-5, A/B testing: z-test, sample size, peeking.

References: statsmodels' proportions_ztest (pooled variance) for the test; statsmodels'
samplesize_proportions_2indep_onetail for the sample size, and the "smallest n with enough power"
property; for peeking, binomial error bars around alpha with one
look, and the known inflation with ten looks (about 0.19 at alpha = 0.05, Armitage et al. 1969).
"""
import math

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scipy.stats import norm
from statsmodels.stats.proportion import proportions_ztest, samplesize_proportions_2indep_onetail

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, describe_call

ALTERNATIVES = st.sampled_from(["two-sided", "larger", "smaller"])


@st.composite
def counts(draw: st.DrawFn) -> tuple[int, int, int, int]:
    n_a, n_b = draw(st.integers(1, 500)), draw(st.integers(1, 500))
    sa, sb = draw(st.integers(0, n_a)), draw(st.integers(0, n_b))
    if sa + sb in (0, n_a + n_b):      # a pooled rate of 0 or 1 has its own test
        sa = 1 - sa // n_a if n_a == 1 else max(1, min(sa, n_a - 1))
    return sa, n_a, sb, n_b


@given(c=counts(), alternative=ALTERNATIVES)
@example(c=(5, 10, 5, 10), alternative="two-sided")         # equal rates: z = 0, p = 1
@example(c=(1, 1, 0, 1), alternative="larger")
@example(c=(30, 1000, 45, 1000), alternative="smaller")
def test_ztest_matches_statsmodels(kata, c, alternative):
    sa, n_a, sb, n_b = c
    call = describe_call("two_proportion_ztest", sa, n_a, sb, n_b, alternative=alternative)
    z, p = kata.two_proportion_ztest(sa, n_a, sb, n_b, alternative=alternative)
    want_z, want_p = proportions_ztest([sa, sb], [n_a, n_b], alternative=alternative, prop_var=False)
    # closed forms in float64: rounding only
    assert_close(z, want_z, rtol=1e-9, atol=1e-12, name="z", call=call)
    assert_close(p, want_p, rtol=1e-9, atol=1e-15, name="p-value", call=call)


@given(c=counts())
def test_ztest_default_is_two_sided(kata, c):
    sa, n_a, sb, n_b = c
    _, want = proportions_ztest([sa, sb], [n_a, n_b], prop_var=False)
    assert_close(kata.two_proportion_ztest(sa, n_a, sb, n_b)[1], want, rtol=1e-9, atol=1e-15, name="p-value",
                 call=describe_call("two_proportion_ztest", sa, n_a, sb, n_b))


@given(n_a=st.integers(1, 50), n_b=st.integers(1, 50), full=st.booleans(), alternative=ALTERNATIVES)
def test_ztest_without_variation_gives_no_evidence(kata, n_a, n_b, full, alternative):
    sa, sb = (n_a, n_b) if full else (0, 0)
    got = kata.two_proportion_ztest(sa, n_a, sb, n_b, alternative=alternative)
    assert_equal(np.array(got, dtype=np.float64), np.array([0.0, 1.0]), name="(z, p)",
                 call=describe_call("two_proportion_ztest", sa, n_a, sb, n_b, alternative=alternative))


def test_ztest_rejects_bad_inputs(kata):
    for args, kwargs, why in [((0, 0, 1, 5), {}, "n_a = 0"), ((1, 5, 0, 0), {}, "n_b = 0"), ((6, 5, 1, 5), {}, "successes_a > n_a"),
                              ((1, 5, -1, 5), {}, "successes_b < 0"), ((-1, 5, 1, 5), {}, "successes_a < 0"),
                              ((1, 5, 6, 5), {}, "successes_b > n_b"), ((1, 5, 2, 5), {"alternative": "bigger"}, "alternative='bigger'")]:
        with pytest.raises(ValueError):
            kata.two_proportion_ztest(*args, **kwargs)
            pytest.fail(f"two_proportion_ztest with {why} returned instead of raising ValueError")


def near_tail_power(p_a: float, mde: float, alpha: float, n: int) -> float:
    p_b, p_bar = p_a + mde, p_a + mde / 2
    z = (abs(mde) * math.sqrt(n) - norm.ppf(1 - alpha / 2) * math.sqrt(2 * p_bar * (1 - p_bar))) / math.sqrt(
        p_a * (1 - p_a) + p_b * (1 - p_b))
    return float(norm.cdf(z))


@given(p_a=st.sampled_from([0.02, 0.1, 0.3, 0.5, 0.8]), mde=st.sampled_from([-0.015, 0.01, 0.05, 0.1]),
       alpha=st.sampled_from([0.01, 0.05, 0.1]), power=st.sampled_from([0.5, 0.8, 0.9]))
def test_sample_size_matches_statsmodels(kata, p_a, mde, alpha, power):
    call = describe_call("sample_size", p_a, mde, alpha=alpha, power=power)
    n = kata.sample_size(p_a, mde, alpha=alpha, power=power)
    want = samplesize_proportions_2indep_onetail(mde, p_a, power, alpha=alpha, alternative="two-sided")
    assert isinstance(n, int | np.integer), f"{call}: expected an int number of users, got {type(n).__name__}"
    assert_equal(int(n), math.ceil(want - 1e-9), name="users per group", call=call)
    # the smallest n with enough power (near tail only, as the formula): n reaches it, n - 1 does not
    at_n, below = near_tail_power(p_a, mde, alpha, n), near_tail_power(p_a, mde, alpha, n - 1)
    assert at_n >= power - 1e-9 > below, f"{call}: power {at_n:.5f} at n = {n}, {below:.5f} at n - 1 (target {power})"


def test_sample_size_defaults(kata):
    n = kata.sample_size(0.1, 0.02)
    want = math.ceil(samplesize_proportions_2indep_onetail(0.02, 0.1, 0.8, alpha=0.05, alternative="two-sided"))
    assert_equal(int(n), want, name="users per group", call=describe_call("sample_size", 0.1, 0.02) + "  (alpha=0.05, power=0.8)")


def test_sample_size_rejects_bad_inputs(kata):
    for args, kwargs, why in [((0.0, 0.1), {}, "p_a = 0"), ((1.0, -0.1), {}, "p_a = 1"), ((0.95, 0.05), {}, "p_b = 1"),
                              ((0.05, -0.05), {}, "p_b = 0"), ((0.3, 0.0), {}, "mde = 0"), ((0.3, 0.1), {"alpha": 0.0}, "alpha = 0"),
                              ((0.3, 0.1), {"alpha": 1.0}, "alpha = 1"), ((0.3, 0.1), {"power": 0.0}, "power = 0"),
                              ((0.3, 0.1), {"power": 1.0}, "power = 1")]:
        with pytest.raises(ValueError):
            kata.sample_size(*args, **kwargs)
            pytest.fail(f"sample_size with {why} returned instead of raising ValueError")


@settings(max_examples=6)
@given(seed=seeds(), p=st.sampled_from([0.2, 0.5]), alpha=st.sampled_from([0.01, 0.05, 0.1]))
def test_one_look_keeps_alpha(kata, seed, p, alpha):
    call = describe_call("peeking_false_positive_rate", p, 200, 1, alpha=alpha, n_sims=4000, seed=seed)
    rate = kata.peeking_false_positive_rate(p, 200, 1, alpha=alpha, n_sims=4000, seed=seed)
    # binomial count of 4000 A/A tests: 5 standard errors, plus 0.01 for the normal approximation
    tol = 5 * math.sqrt(alpha * (1 - alpha) / 4000) + 0.01
    assert abs(rate - alpha) <= tol, f"{call}: false positive rate {rate:.4f} with a single look, expected {alpha} +- {tol:.4f}"


@settings(max_examples=4)
@given(seed=seeds())
def test_ten_looks_inflate_false_positives(kata, seed):
    call = describe_call("peeking_false_positive_rate", 0.3, 100, 10, n_sims=4000, seed=seed)
    rate = kata.peeking_false_positive_rate(0.3, 100, 10, n_sims=4000, seed=seed)
    # ten looks at 0.05 reject about 19% of true nulls (testing each batch alone: 40%; only the last look: 5%)
    assert 0.15 <= rate <= 0.24, f"{call}: false positive rate {rate:.4f}, expected about 0.19 for ten peeks"


@given(seed=seeds(), n_sims=st.integers(1, 9))
def test_rate_is_a_share_of_n_sims_and_seeded(kata, seed, n_sims):
    call = describe_call("peeking_false_positive_rate", 0.5, 20, 5, alpha=0.3, n_sims=n_sims, seed=seed)
    rate = kata.peeking_false_positive_rate(0.5, 20, 5, alpha=0.3, n_sims=n_sims, seed=seed)
    assert abs(rate * n_sims - round(rate * n_sims)) < 1e-9, f"{call}: {rate!r} is not a count over {n_sims} experiments"
    assert_close(kata.peeking_false_positive_rate(0.5, 20, 5, alpha=0.3, n_sims=n_sims, seed=seed), rate, rtol=0, atol=0,
                 name="rate (same seed)", call=call)


@given(seed=seeds())
def test_rate_depends_on_the_seed(kata, seed):
    rates = {kata.peeking_false_positive_rate(0.4, 30, 3, alpha=0.2, n_sims=500, seed=seed + k) for k in range(3)}
    assert len(rates) > 1, f"seeds {seed}..{seed + 2} gave the same rate {rates}: is the seed ignored?"


@settings(max_examples=5)
@given(seed=seeds())
def test_one_user_per_look(kata, seed):
    call = describe_call("peeking_false_positive_rate", 0.05, 1, 1, alpha=0.5, n_sims=2000, seed=seed)
    rate = kata.peeking_false_positive_rate(0.05, 1, 1, alpha=0.5, n_sims=2000, seed=seed)
    # one user per arm: only a split outcome (1, 0) or (0, 1) gives z = +-sqrt(2), p = 0.157 < 0.5;
    # (0, 0) and (1, 1) have no variation (p = 1). Expected rate 2 p (1 - p) = 0.095
    want = 2 * 0.05 * 0.95
    tol = 5 * math.sqrt(want * (1 - want) / 2000)
    assert abs(rate - want) <= tol, f"{call}: rate {rate:.4f}, expected {want:.3f} +- {tol:.3f}"


def test_peeking_defaults(kata):
    rate = kata.peeking_false_positive_rate(0.5, 50, 1)
    assert abs(rate * 2000 - round(rate * 2000)) < 1e-9 and abs(rate - 0.05) < 0.035, (
        f"peeking_false_positive_rate(0.5, 50, 1) = {rate!r}: expected a count over the default 2000 experiments near alpha = 0.05")


def test_peeking_rejects_bad_inputs(kata):
    for args, kwargs, why in [((0.0, 10, 2), {}, "p = 0"), ((1.0, 10, 2), {}, "p = 1"), ((0.5, 0, 2), {}, "n_per_look = 0"),
                              ((0.5, 10, 0), {}, "n_looks = 0"), ((0.5, 10, 2), {"n_sims": 0}, "n_sims = 0"),
                              ((0.5, 10, 2), {"alpha": 0.0}, "alpha = 0"), ((0.5, 10, 2), {"alpha": 1.0}, "alpha = 1")]:
        with pytest.raises(ValueError):
            kata.peeking_false_positive_rate(*args, **kwargs)
            pytest.fail(f"peeking_false_positive_rate with {why} returned instead of raising ValueError")
