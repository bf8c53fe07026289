"""Tests for prod-03-4, drift detection with PSI and Kolmogorov-Smirnov.

References: scipy.stats.ks_2samp(method="asymp") for the statistic and its p-value; for PSI the bins
are rebuilt with pandas.cut (left-closed bins on the reference quantiles, duplicate edges dropped:
an empty bin adds 0 to the sum) and the shares counted with value_counts; the drift report is
checked column by column against both, with its thresholds hit exactly.
"""
import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scipy import stats

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, call_unmodified, describe_call


@st.composite
def sample_pairs(draw: st.DrawFn, min_size: int = 2) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(draw(seeds()))
    m, n = draw(st.integers(min_size, 60)), draw(st.integers(min_size, 60))
    shift = draw(st.sampled_from([0.0, 0.5, 2.0]))
    if draw(st.booleans()):          # discrete values: ties inside and across the samples
        return rng.integers(0, 5, m).astype(np.float64), rng.integers(0, 5, n) + np.round(shift)
    return rng.standard_normal(m), rng.standard_normal(n) * draw(st.sampled_from([1.0, 3.0])) + shift


def reference_psi(a: np.ndarray, b: np.ndarray, n_bins: int, eps: float) -> float:
    edges = np.quantile(a, np.linspace(0.0, 1.0, n_bins + 1)[1:-1])
    bins = np.unique(np.r_[-np.inf, edges, np.inf])
    r = pd.cut(pd.Series(a), bins, right=False).value_counts(sort=False).to_numpy() / a.size
    c = pd.cut(pd.Series(b), bins, right=False).value_counts(sort=False).to_numpy() / b.size
    r, c = np.maximum(r, eps), np.maximum(c, eps)
    return float(np.sum((c - r) * np.log(c / r)))


@given(pair=sample_pairs())
@example(pair=(np.array([1.0, 1.0]), np.array([2.0])))              # D = 1
@example(pair=(np.array([1.0, 2.0, 3.0]), np.array([1.0, 2.0, 3.0])))   # D = 0, p = 1
@example(pair=(np.array([0.0, 0.0, 1.0]), np.array([0.0, 1.0, 1.0, 1.0])))   # ties across the samples
def test_ks_matches_scipy(kata, pair):
    a, b = pair
    call = describe_call("ks_2samp", a, b)
    d, p = call_unmodified(kata.ks_2samp, a, b)
    want = stats.ks_2samp(a, b, method="asymp")
    # D is a difference of two counts over sizes: exact to rounding; p a smooth function of D
    assert_close(d, want.statistic, rtol=1e-12, atol=1e-12, name="D", call=call)
    assert_close(p, want.pvalue, rtol=1e-9, atol=1e-12, name="p-value", call=call)


@given(pair=sample_pairs(), n_bins=st.integers(1, 12), eps=st.sampled_from([1e-4, 1e-2, 0.2]))
@example(pair=(np.arange(10.0), np.arange(10.0)), n_bins=10, eps=1e-4)                 # identical: 0
@example(pair=(np.arange(10.0), np.array([4.0, 4.0, 4.0])), n_bins=10, eps=1e-4)        # on an edge: the bin above
@example(pair=(np.zeros(5), np.array([-1.0, 0.0, 1.0])), n_bins=4, eps=1e-2)             # one distinct value: all edges equal
def test_psi_matches_binned_reference(kata, pair, n_bins, eps):
    a, b = pair
    call = describe_call("psi", a, b, n_bins=n_bins, eps=eps)
    got = call_unmodified(kata.psi, a, b, n_bins=n_bins, eps=eps)
    # shares are counts over sizes and the log of their ratio: rounding only
    assert_close(got, reference_psi(a, b, n_bins, eps), rtol=1e-9, atol=1e-12, name="PSI", call=call)


@given(pair=sample_pairs())
def test_psi_defaults(kata, pair):
    a, b = pair
    assert_close(kata.psi(a, b), reference_psi(a, b, 10, 1e-4), rtol=1e-9, atol=1e-12, name="PSI",
                 call=describe_call("psi", a, b) + "  (defaults n_bins=10, eps=1e-4)")


@settings(max_examples=5)
@given(seed=seeds())
def test_psi_and_ks_separate_a_shift_from_noise(kata, seed):
    rng = np.random.default_rng(seed)
    ref, same, shifted = rng.standard_normal(3000), rng.standard_normal(3000), rng.standard_normal(3000) + 0.5
    psi_same, psi_shift = kata.psi(ref, same), kata.psi(ref, shifted)
    # sampling noise alone gives PSI ~ (bins - 1) / n * 2 ~ 0.006; a half-sigma shift gives ~ 0.25
    assert psi_same < 0.05 < 0.15 < psi_shift, f"psi on a same-distribution sample {psi_same:.4f}, on a 0.5-sigma shift {psi_shift:.4f}"
    assert kata.ks_2samp(ref, shifted)[1] < 1e-10, "ks_2samp missed a 0.5-sigma shift in 3000 values"


@given(seed=seeds(), d=st.integers(1, 4), n_bins=st.sampled_from([3, 10]))
def test_detect_drift_per_column(kata, seed, d, n_bins):
    rng = np.random.default_rng(seed)
    ref = rng.standard_normal((80, d))
    cur = rng.standard_normal((50, d)) + rng.choice([0.0, 0.3, 1.5], size=d)
    call = describe_call("detect_drift", ref, cur, n_bins=n_bins)
    got = call_unmodified(kata.detect_drift, ref, cur, n_bins=n_bins)
    want_psi = np.array([reference_psi(ref[:, j], cur[:, j], n_bins, 1e-4) for j in range(d)])
    want_ks = [stats.ks_2samp(ref[:, j], cur[:, j], method="asymp") for j in range(d)]
    assert_close(got["psi"], want_psi, rtol=1e-9, atol=1e-12, name="psi", call=call)
    assert_close(got["ks"], np.array([k.statistic for k in want_ks]), rtol=1e-12, atol=1e-12, name="ks", call=call)
    p = np.array([k.pvalue for k in want_ks])
    assert_close(got["p_value"], p, rtol=1e-9, atol=1e-12, name="p_value", call=call)
    assert_equal(np.asarray(got["drifted"]), (want_psi > 0.2) | (p < 0.05), name="drifted (defaults 0.2, 0.05)", call=call)


@given(seed=seeds())
def test_detect_drift_thresholds_are_strict(kata, seed):
    rng = np.random.default_rng(seed)
    ref, cur = rng.standard_normal((40, 2)), rng.standard_normal((30, 2)) + [0.0, 0.4]
    psi_values = np.array([reference_psi(ref[:, j], cur[:, j], 10, 1e-4) for j in range(2)])
    p = np.array([stats.ks_2samp(ref[:, j], cur[:, j], method="asymp").pvalue for j in range(2)])
    for j in range(2):
        # a value exactly on a threshold is not drift: psi > threshold, p < alpha
        call = describe_call("detect_drift", ref, cur, psi_threshold=psi_values[j], alpha=p[j])
        got = kata.detect_drift(ref, cur, psi_threshold=psi_values[j], alpha=p[j])
        want = (psi_values > psi_values[j]) | (p < p[j])
        assert_equal(np.asarray(got["drifted"]), want, name="drifted", call=call)
        # just inside each threshold: drift
        got = kata.detect_drift(ref, cur, psi_threshold=psi_values[j] * (1 - 1e-6), alpha=np.inf)
        assert_equal(np.asarray(got["drifted"]), np.array([True, True]), name="drifted (alpha=inf)",
                     call=describe_call("detect_drift", ref, cur, psi_threshold=psi_values[j] * (1 - 1e-6), alpha=np.inf))
        got = kata.detect_drift(ref, cur, psi_threshold=np.inf, alpha=p[j] * (1 + 1e-6))
        assert_equal(np.asarray(got["drifted"]), p < p[j] * (1 + 1e-6), name="drifted (psi_threshold=inf)",
                     call=describe_call("detect_drift", ref, cur, psi_threshold=np.inf, alpha=p[j] * (1 + 1e-6)))


def test_rejects_bad_inputs(kata):
    x = np.array([1.0, 2.0, 3.0])
    for fn, args, kwargs, why in [
            ("ks_2samp", (np.array([]), x), {}, "an empty reference"), ("ks_2samp", (x, np.ones((2, 2))), {}, "a 2-D current"),
            ("ks_2samp", (x, np.array([])), {}, "an empty current"), ("ks_2samp", (np.ones((2, 2)), x), {}, "a 2-D reference"),
            ("psi", (np.array([]), x), {}, "an empty reference"), ("psi", (x, np.ones((2, 2))), {}, "a 2-D current"),
            ("psi", (x, np.array([])), {}, "an empty current"), ("psi", (np.ones((2, 2)), x), {}, "a 2-D reference"),
            ("psi", (x, x), {"n_bins": 0}, "n_bins=0"), ("psi", (x, x), {"eps": 0.0}, "eps=0"),
            ("detect_drift", (x, x), {}, "1-D arrays"), ("detect_drift", (np.ones((4, 2)), np.ones((4, 3))), {}, "2 vs 3 columns")]:
        with pytest.raises(ValueError):
            getattr(kata, fn)(*args, **kwargs)
            pytest.fail(f"{fn} with {why} returned instead of raising ValueError")
