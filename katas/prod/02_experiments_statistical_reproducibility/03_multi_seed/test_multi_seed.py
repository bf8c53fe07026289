"""Tests for prod-02-3, multi-seed reporting.

References: scipy.stats.ttest_1samp(...).confidence_interval for the t interval, scipy's
ttest_ind(equal_var=False) and ttest_rel for the comparisons, and a coverage simulation: over many
"experiments" of n seeds, the interval contains the true mean about `confidence` of the time.
"""
import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scipy import stats

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, call_unmodified, describe_call


@st.composite
def scores(draw: st.DrawFn, n: int | None = None) -> np.ndarray:
    rng = np.random.default_rng(draw(seeds()))
    n = draw(st.integers(2, 12)) if n is None else n
    x = 0.8 + 0.02 * (rng.standard_t(3, n) if draw(st.booleans()) else rng.standard_normal(n))
    if np.ptp(x) == 0:
        x[0] += 0.01
    return x


@given(x=scores(), confidence=st.sampled_from([0.5, 0.9, 0.95, 0.99]))
@example(x=np.array([0.7, 0.9]), confidence=0.95)      # two seeds: t with 1 df, a very wide interval
def test_summary_matches_scipy(kata, x, confidence):
    call = describe_call("summarize_seeds", x, confidence=confidence)
    got = call_unmodified(kata.summarize_seeds, x, confidence=confidence)
    ci = stats.ttest_1samp(x, 0.0).confidence_interval(confidence_level=confidence)
    # closed forms in float64: rounding only
    for key, want in [("mean", x.mean()), ("std", x.std(ddof=1)), ("ci_low", ci.low), ("ci_high", ci.high)]:
        assert_close(got[key], want, rtol=1e-10, atol=1e-12, name=key, call=call)
    assert_equal(got["n"], x.size, name="n", call=call)
    assert_close(got["confidence"], confidence, rtol=0, atol=0, name="confidence", call=call)


@given(x=scores())
def test_summary_default_is_95(kata, x):
    ci = stats.ttest_1samp(x, 0.0).confidence_interval(confidence_level=0.95)
    got = kata.summarize_seeds(x)
    call = describe_call("summarize_seeds", x)
    assert_close(np.array([got["ci_low"], got["ci_high"]]), np.array([ci.low, ci.high]), rtol=1e-10, atol=1e-12,
                 name="(ci_low, ci_high)", call=call)


@settings(max_examples=4)
@given(seed=seeds(), n=st.sampled_from([3, 5]), confidence=st.sampled_from([0.8, 0.95]))
def test_interval_covers_the_true_mean(kata, seed, n, confidence):
    rng = np.random.default_rng(seed)
    hits = 0
    for _ in range(1000):
        s = kata.summarize_seeds(rng.normal(0.5, 0.1, n), confidence=confidence)
        hits += s["ci_low"] <= 0.5 <= s["ci_high"]
    # 1000 experiments: 5 binomial standard errors; a normal z-interval would cover ~0.88 / ~0.75 at n = 3
    tol = 5 * np.sqrt(confidence * (1 - confidence) / 1000)
    assert abs(hits / 1000 - confidence) <= tol, (
        f"summarize_seeds(..., confidence={confidence}) with n={n} seeds covered the true mean in {hits}/1000 experiments,"
        f" expected {confidence:.0%} +- {tol:.3f} (too low: a z quantile or ddof=0 instead of Student t and ddof=1?)")


def test_summary_rejects_bad_inputs(kata):
    for x, kwargs, why in [(np.array([0.5]), {}, "one seed"), (np.ones((2, 2)), {}, "a 2-D array"),
                           (np.array([0.5, 0.6]), {"confidence": 0.0}, "confidence=0"),
                           (np.array([0.5, 0.6]), {"confidence": 1.0}, "confidence=1")]:
        with pytest.raises(ValueError):
            kata.summarize_seeds(x, **kwargs)
            pytest.fail(f"summarize_seeds with {why} returned instead of raising ValueError")


@given(a=scores(), b=scores(), shift=st.sampled_from([0.0, 0.01, 0.05]))
@example(a=np.array([0.1, 0.2]), b=np.array([0.3, 0.31, 0.5, 0.2, 0.25]), shift=0.0)    # unequal sizes and variances
def test_welch_matches_scipy(kata, a, b, shift):
    b = b + shift
    call = describe_call("compare_runs", a, b)
    got = call_unmodified(kata.compare_runs, a, b)
    want = stats.ttest_ind(a, b, equal_var=False)
    assert_close(np.array(got), np.array([want.statistic, want.pvalue]), rtol=1e-8, atol=1e-12, name="(t, p)", call=call)
    got = kata.compare_runs(a, b, paired=False)
    assert_close(np.array(got), np.array([want.statistic, want.pvalue]), rtol=1e-8, atol=1e-12, name="(t, p)",
                 call=describe_call("compare_runs", a, b, paired=False))


@given(data=st.data(), n=st.integers(2, 10))
def test_paired_matches_scipy(kata, data, n):
    a = data.draw(scores(n))
    b = a + data.draw(scores(n)) - 0.8          # the same seeds: b shares most of a's seed-to-seed noise
    call = describe_call("compare_runs", a, b, paired=True)
    got = call_unmodified(kata.compare_runs, a, b, paired=True)
    want = stats.ttest_rel(a, b)
    assert_close(np.array(got), np.array([want.statistic, want.pvalue]), rtol=1e-8, atol=1e-12, name="(t, p)", call=call)


def test_pairing_finds_what_welch_misses(kata):
    rng = np.random.default_rng(0)
    seed_effect = rng.normal(0.8, 0.05, 8)           # seeds differ a lot, the configs by a little
    a, b = seed_effect + 0.01 + rng.normal(0, 0.002, 8), seed_effect + rng.normal(0, 0.002, 8)
    _, p_welch = kata.compare_runs(a, b)
    _, p_paired = kata.compare_runs(a, b, paired=True)
    assert p_paired < 0.001 < 0.5 < p_welch, f"paired p {p_paired:.2e} should be tiny and Welch p {p_welch:.3f} large here"


def test_compare_rejects_bad_inputs(kata):
    x = np.array([0.5, 0.6, 0.7])
    for args, kwargs, why in [((np.array([0.5]), x), {}, "one score in a"), ((x, np.array([0.5])), {}, "one score in b"),
                              ((np.ones((2, 2)), x), {}, "a 2-D a"), ((x, np.ones((2, 2))), {}, "a 2-D b"),
                              ((x, np.array([0.5, 0.6])), {"paired": True}, "paired runs of lengths 3 and 2"),
                              ((np.array([0.5, 0.5]), np.array([0.7, 0.7])), {}, "two constant runs"),
                              ((x, x + 0.1), {"paired": True}, "constant paired differences")]:
        with pytest.raises(ValueError):
            kata.compare_runs(*args, **kwargs)
            pytest.fail(f"compare_runs with {why} returned instead of raising ValueError")


@given(x=scores(), digits=st.integers(1, 5), confidence=st.sampled_from([0.9, 0.95, 0.99]))
def test_format_summary(kata, x, digits, confidence):
    s = {"mean": float(x.mean()), "std": float(x.std(ddof=1)), "ci_low": float(x.min()), "ci_high": float(x.max()),
         "n": int(x.size), "confidence": confidence}
    got = kata.format_summary(s, digits=digits)
    d = digits
    want = (f"{s['mean']:.{d}f} ± {s['std']:.{d}f} ({100 * confidence:g}% CI [{s['ci_low']:.{d}f}, {s['ci_high']:.{d}f}],"
            f" n={x.size})")
    assert got == want, f"format_summary(..., digits={digits}) returned {got!r}, expected {want!r}"


def test_format_summary_default_digits(kata):
    s = {"mean": 0.81234, "std": 0.01337, "ci_low": 0.79601, "ci_high": 0.82867, "n": 5, "confidence": 0.95}
    got = kata.format_summary(s)
    assert got == "0.812 ± 0.013 (95% CI [0.796, 0.829], n=5)", f"format_summary(...) returned {got!r}"
