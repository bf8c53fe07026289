"""Tests for prod-02-4, bootstrap, jackknife and permutation tests.

References: scipy.stats.bootstrap (methods "percentile" and "basic") fed the same generator, so the
intervals agree to rounding; scipy.stats.permutation_test, exact when it enumerates every split and
statistically (binomial error bars) when it samples; for the jackknife, closed forms: for the mean
the bias is 0 and the standard error s / sqrt(n); for the plug-in variance the bias-corrected value
is the unbiased variance; for the maximum the bias is (n - 1)(second largest - largest) / n.
"""
import warnings

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scipy import stats

from grader.strategies import seeds
from grader.testing import assert_close, assert_seeded, call_unmodified, describe_call

STATISTICS = st.sampled_from([np.mean, np.median, np.std])


@st.composite
def samples(draw: st.DrawFn, min_size: int = 2, max_size: int = 20) -> np.ndarray:
    rng = np.random.default_rng(draw(seeds()))
    n = draw(st.integers(min_size, max_size))
    kind = draw(st.sampled_from(["normal", "heavy", "integers"]))
    if kind == "normal":
        return rng.standard_normal(n)
    if kind == "heavy":
        return rng.standard_t(1.5, size=n)
    return rng.integers(0, 4, size=n).astype(np.float64)


def scipy_bootstrap(x: np.ndarray, statistic: object, n_resamples: int, confidence: float, method: str,
                    seed: int) -> tuple[float, float]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")     # degenerate bootstrap distributions warn; the interval is defined
        res = stats.bootstrap((x,), statistic, n_resamples=n_resamples, confidence_level=confidence, method=method,
                              vectorized=True, rng=np.random.default_rng(seed))
    return float(res.confidence_interval.low), float(res.confidence_interval.high)


@given(x=samples(), statistic=STATISTICS, n_resamples=st.sampled_from([1, 7, 99, 400]),
       confidence=st.sampled_from([0.5, 0.9, 0.95]), method=st.sampled_from(["percentile", "basic"]), seed=seeds())
@example(x=np.array([1.0, 2.0]), statistic=np.mean, n_resamples=1, confidence=0.9, method="basic", seed=0)
@example(x=np.array([0.0, 0.0, 5.0]), statistic=np.median, n_resamples=7, confidence=0.5, method="percentile", seed=3)
def test_bootstrap_ci_matches_scipy(kata, x, statistic, n_resamples, confidence, method, seed):
    call = describe_call("bootstrap_ci", x, statistic.__name__, n_resamples=n_resamples, confidence=confidence,
                         method=method, seed=seed)
    got = call_unmodified(kata.bootstrap_ci, x, statistic, n_resamples=n_resamples, confidence=confidence,
                          method=method, seed=seed)
    want = scipy_bootstrap(x, statistic, n_resamples, confidence, method, seed)
    # the same resamples and the same linear quantiles: only rounding in the reflection 2 theta - q
    assert_close(np.array(got, dtype=np.float64), np.array(want), rtol=1e-10, atol=1e-12, name="(low, high)", call=call)


@settings(max_examples=10)
@given(x=samples(min_size=5))
def test_bootstrap_ci_defaults(kata, x):
    got = kata.bootstrap_ci(x, np.mean)
    want = scipy_bootstrap(x, np.mean, 999, 0.95, "percentile", 0)
    assert_close(np.array(got, dtype=np.float64), np.array(want), rtol=1e-10, atol=1e-12, name="(low, high)",
                 call=describe_call("bootstrap_ci", x, "mean") + "  (defaults: 999 resamples, 95%, percentile, seed 0)")


@given(seed=seeds())
def test_bootstrap_ci_is_seeded(kata, seed):
    x = np.random.default_rng(seed).standard_normal(12)     # continuous values: every seed gives another interval
    assert_seeded(lambda s: kata.bootstrap_ci(x, np.mean, n_resamples=50, seed=s), seed, name="interval")


def test_bootstrap_ci_rejects_bad_inputs(kata):
    x = np.array([1.0, 2.0, 4.0])
    cases = [((np.array([1.0]),), {}, "one value"), ((np.ones((2, 2)),), {}, "a 2-D sample"),
             ((x,), {"confidence": 1.0}, "confidence=1.0"), ((x,), {"confidence": 0.0}, "confidence=0.0"),
             ((x,), {"n_resamples": 0}, "n_resamples=0"), ((x,), {"method": "bca"}, "method='bca'")]
    for args, kwargs, why in cases:
        with pytest.raises(ValueError):
            kata.bootstrap_ci(*args, np.mean, **kwargs)
            pytest.fail(f"bootstrap_ci with {why} returned instead of raising ValueError")


@given(x=samples())
@example(x=np.array([3.0, 5.0]))
def test_jackknife_of_the_mean(kata, x):
    call = describe_call("jackknife", x, "mean")
    bias, se = call_unmodified(kata.jackknife, x, np.mean)
    # the mean is linear: its leave-one-out means average to the mean, and their spread gives s / sqrt(n)
    assert_close(bias, 0.0, rtol=0, atol=1e-9 * (1 + np.abs(x).max()), name="bias", call=call)
    assert_close(se, x.std(ddof=1) / np.sqrt(x.size), rtol=1e-9, atol=1e-12, name="standard error", call=call)


@given(x=samples())
@example(x=np.array([0.0, 2.0]))
def test_jackknife_corrects_the_plugin_variance(kata, x):
    call = describe_call("jackknife", x, "var (ddof=0)")
    bias, _ = kata.jackknife(x, np.var)
    # a classical identity: theta - bias of the plug-in variance is exactly the unbiased variance
    assert_close(np.var(x) - bias, np.var(x, ddof=1), rtol=1e-9, atol=1e-12, name="var - bias", call=call)


@given(x=samples().filter(lambda x: np.unique(x).size == x.size))
@example(x=np.array([1.0, 2.0, 3.0, 10.0]))
def test_jackknife_of_the_maximum(kata, x):
    call = describe_call("jackknife", x, "max")
    bias, se = kata.jackknife(x, np.max)
    n, top = x.size, np.sort(x)[::-1]
    # n - 1 leave-one-out maxima equal the largest value, one equals the second largest
    loo = np.r_[np.full(n - 1, top[0]), top[1]]
    assert_close(bias, (n - 1) * (top[1] - top[0]) / n, rtol=1e-9, atol=1e-12, name="bias", call=call)
    assert_close(se, np.sqrt((n - 1) / n * np.sum((loo - loo.mean()) ** 2)), rtol=1e-9, atol=1e-12,
                 name="standard error", call=call)


def test_jackknife_rejects_bad_inputs(kata):
    for x, why in [(np.array([1.0]), "one value"), (np.ones((3, 2)), "a 2-D sample")]:
        with pytest.raises(ValueError):
            kata.jackknife(x, np.mean)
            pytest.fail(f"jackknife with {why} returned instead of raising ValueError")


def scipy_exact_p(x: np.ndarray, y: np.ndarray, alternative: str) -> tuple[float, float]:
    res = stats.permutation_test((x, y), lambda a, b, axis: a.mean(axis=axis) - b.mean(axis=axis), vectorized=True,
                                 n_resamples=np.inf, alternative=alternative)
    return float(res.statistic), float(res.pvalue)


@st.composite
def small_pairs(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(draw(seeds()))
    nx, ny = draw(st.integers(2, 6)), draw(st.integers(2, 6))
    if draw(st.booleans()):          # integer values: many exact ties with the observed statistic
        return rng.integers(0, 3, nx).astype(np.float64), rng.integers(0, 3, ny).astype(np.float64)
    return rng.standard_normal(nx) + draw(st.sampled_from([0.0, 1.0])), rng.standard_normal(ny)


@given(pair=small_pairs(), alternative=st.sampled_from(["two-sided", "less", "greater"]))
@example(pair=(np.array([1.0, 1.0]), np.array([1.0, 1.0])), alternative="two-sided")     # every split ties: p = 1
@example(pair=(np.array([0.0, 1.0, 2.0]), np.array([1.0, 2.0])), alternative="greater")
@example(pair=(np.array([5.0, 4.0]), np.array([1.0, 2.0, 3.0])), alternative="less")
def test_permutation_test_exact_matches_scipy(kata, pair, alternative):
    x, y = pair
    call = describe_call("permutation_test", x, y, alternative=alternative)
    got = call_unmodified(kata.permutation_test, x, y, alternative=alternative)
    want = scipy_exact_p(x, y, alternative)
    assert_close(got[0], want[0], rtol=1e-12, atol=1e-12, name="observed statistic", call=call)
    # an exact p-value is a count over all C(n, nx) splits: equal to rounding
    assert_close(got[1], want[1], rtol=1e-12, atol=1e-12, name="p-value", call=call)


@given(pair=small_pairs())
def test_permutation_test_default_is_two_sided(kata, pair):
    x, y = pair
    assert_close(kata.permutation_test(x, y)[1], scipy_exact_p(x, y, "two-sided")[1], rtol=1e-12, atol=1e-12,
                 name="p-value", call=describe_call("permutation_test", x, y))


@given(seed=seeds(), exact=st.booleans())
def test_permutation_test_switches_to_sampling_above_n_resamples(kata, seed, exact):
    # C(4, 2) = 6 splits: n_resamples = 6 enumerates them all, n_resamples = 5 must sample
    x, y = np.array([0.0, 3.0]), np.array([1.0, 2.0 + 0.5 * (seed % 2)])
    n_resamples = 6 if exact else 5
    call = describe_call("permutation_test", x, y, alternative="greater", n_resamples=n_resamples, seed=seed)
    _, p = kata.permutation_test(x, y, alternative="greater", n_resamples=n_resamples, seed=seed)
    if exact:
        assert_close(p, scipy_exact_p(x, y, "greater")[1], rtol=1e-12, atol=1e-12, name="exact p-value", call=call)
    else:
        count = p * 6
        assert abs(count - round(count)) < 1e-9 and 1 <= round(count) <= 6, (
            f"{call}: with 5 random splits the p-value is (count + 1) / 6, got {p!r} ({count:.4f} sixths)")


@settings(max_examples=10)
@given(seed=seeds(), shift=st.sampled_from([0.0, 0.5, 1.0]), alternative=st.sampled_from(["two-sided", "greater"]))
def test_permutation_test_sampling_estimates_the_exact_p(kata, seed, shift, alternative):
    rng = np.random.default_rng(seed)
    x, y = rng.standard_normal(8) + shift, rng.standard_normal(8)     # C(16, 8) = 12870 splits
    n_resamples = 2000
    call = describe_call("permutation_test", x, y, alternative=alternative, n_resamples=n_resamples, seed=seed)
    _, p = kata.permutation_test(x, y, alternative=alternative, n_resamples=n_resamples, seed=seed)
    exact = scipy_exact_p(x, y, alternative)[1]
    # a sampled count is binomial: 6 standard errors (doubled for two-sided) plus the +1 correction
    tol = 6 * (2 if alternative == "two-sided" else 1) * np.sqrt(exact * (1 - exact) / n_resamples) + 3 / n_resamples
    assert abs(p - exact) <= tol, f"{call}: sampled p-value {p:.4f} is {abs(p - exact):.4f} from the exact {exact:.4f} (allowed {tol:.4f})"


def test_permutation_test_sampled_p_is_never_zero(kata):
    x, y = np.arange(10.0) + 100.0, np.arange(10.0)     # every random split is less extreme than the observed one
    for alternative, b, want in [("greater", 500, 1 / 501), ("two-sided", 500, 2 / 501), ("less", 500, 1.0),
                                 ("greater", 1, 1 / 2)]:      # one random split is allowed
        _, p = kata.permutation_test(x, y, alternative=alternative, n_resamples=b, seed=1)
        assert_close(p, want, rtol=1e-12, atol=0, name="p-value",
                     call=describe_call("permutation_test", x, y, alternative=alternative, n_resamples=b, seed=1)
                     + "  (the observed split counts: p = (count + 1) / (n_resamples + 1))")


@given(seed=seeds())
def test_permutation_test_is_seeded(kata, seed):
    rng = np.random.default_rng(seed)
    pairs = [(rng.standard_normal(9) + 0.5, rng.standard_normal(9)) for _ in range(3)]
    # three data sets, so that two seeds giving the very same three sampled p-values is vanishingly rare
    assert_seeded(lambda s: [kata.permutation_test(x, y, alternative="greater", n_resamples=2000, seed=s)[1]
                             for x, y in pairs], seed, name="p-values")


def test_permutation_test_rejects_bad_inputs(kata):
    x = np.array([1.0, 2.0])
    cases = [((np.array([1.0]), x), {}, "one value in x"), ((x, np.array([3.0])), {}, "one value in y"),
             ((np.ones((2, 2)), x), {}, "a 2-D x"), ((x, np.ones((2, 2))), {}, "a 2-D y"),
             ((x, x), {"alternative": "bigger"}, "alternative='bigger'"), ((x, x), {"n_resamples": 0}, "n_resamples=0")]
    for args, kwargs, why in cases:
        with pytest.raises(ValueError):
            kata.permutation_test(*args, **kwargs)
            pytest.fail(f"permutation_test with {why} returned instead of raising ValueError")
