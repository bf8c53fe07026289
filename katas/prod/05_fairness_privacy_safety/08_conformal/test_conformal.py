"""Tests for prod-05-8, split conformal prediction.

References: the order statistic by brute force; the coverage guarantee checked statistically over
many seeds (the mean coverage across 300 independent calibration/test draws must not fall
significantly below 1 - alpha, nor rise above its exact value k / (n + 1)), with a
LinearRegression (sklearn) fitted on heavy-tailed data as the underlying model.
"""
import math

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sklearn.linear_model import LinearRegression

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, call_unmodified, describe_call

ALPHAS = st.sampled_from([0.05, 0.1, 0.2, 0.5])


def rank(n: int, alpha: float) -> int:
    return math.ceil(round((n + 1) * (1 - alpha), 9))


@given(seed=seeds(), n=st.integers(1, 40), alpha=ALPHAS)
@example(seed=0, n=19, alpha=0.05)        # k = 19 = n: the largest score
@example(seed=0, n=18, alpha=0.05)        # k = 19 > n: infinite
@example(seed=1, n=24, alpha=0.44)        # (n + 1)(1 - alpha) = 14.000000000000002 in floats: k = 14
@example(seed=2, n=1, alpha=0.5)          # k = 1
def test_quantile_is_the_corrected_order_statistic(kata, seed, n, alpha):
    scores = np.random.default_rng(seed).standard_t(2, size=n)
    call = describe_call("conformal_quantile", scores, alpha)
    got = call_unmodified(kata.conformal_quantile, scores, alpha)
    k = rank(n, alpha)
    want = math.inf if k > n else sorted(scores.tolist())[k - 1]
    assert_close(got, want, rtol=0, atol=0, name=f"threshold (the k = {k}-th smallest of {n} scores)", call=call)


def heavy_tailed(rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
    x = rng.normal(size=(n, 2))
    return x, x @ np.array([1.5, -2.0]) + rng.standard_t(3, size=n)


@given(seed=seeds(), n=st.integers(1, 30), m=st.integers(1, 5), alpha=ALPHAS)
@example(seed=0, n=4, m=2, alpha=0.1)            # too few calibration points: infinite intervals
def test_interval_formula(kata, seed, n, m, alpha):
    rng = np.random.default_rng(seed)
    cal_pred, cal_y, test_pred = rng.normal(size=n), rng.normal(size=n) * 3, rng.normal(size=m)
    call = describe_call("conformal_interval", cal_pred, cal_y, test_pred, alpha)
    lo, hi = call_unmodified(kata.conformal_interval, cal_pred, cal_y, test_pred, alpha)
    k = rank(n, alpha)
    q = math.inf if k > n else sorted(np.abs(cal_y - cal_pred).tolist())[k - 1]
    assert_close(lo, test_pred - q, rtol=0, atol=1e-12, name="lower ends", call=call)
    assert_close(hi, test_pred + q, rtol=0, atol=1e-12, name="upper ends", call=call)


@settings(max_examples=6)
@given(seed=seeds(), n_cal=st.sampled_from([19, 50, 99]), alpha=st.sampled_from([0.05, 0.1, 0.2]))
def test_interval_coverage_over_many_seeds(kata, seed, n_cal, alpha):
    rng = np.random.default_rng(seed)
    x_train, y_train = heavy_tailed(rng, 200)
    model = LinearRegression().fit(x_train, y_train)
    reps = 300
    coverage = np.empty(reps)
    for r in range(reps):
        x, y = heavy_tailed(rng, n_cal + 50)
        pred = model.predict(x)
        lo, hi = kata.conformal_interval(pred[:n_cal], y[:n_cal], pred[n_cal:], alpha)
        coverage[r] = np.mean((lo <= y[n_cal:]) & (y[n_cal:] <= hi))
    mean, se = coverage.mean(), coverage.std(ddof=1) / math.sqrt(reps)
    exact = rank(n_cal, alpha) / (n_cal + 1)
    call = describe_call("conformal_interval", f"{n_cal} calibration points", "...", "50 test points", alpha)
    assert mean >= 1 - alpha - 4 * se, (f"{call}: mean coverage {mean:.4f} over {reps} seeds is significantly below "
                                        f"1 - alpha = {1 - alpha:.3f} (standard error {se:.4f})")
    assert mean <= exact + 4 * se, (f"{call}: mean coverage {mean:.4f} over {reps} seeds is significantly above the "
                                    f"exact k/(n+1) = {exact:.4f}: intervals wider than needed (standard error {se:.4f})")


@st.composite
def classification(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(draw(seeds()))
    n, k, m = draw(st.integers(1, 30)), draw(st.integers(2, 5)), draw(st.integers(1, 6))
    probs = rng.dirichlet(np.ones(k), size=n + m)
    labels = np.array([rng.choice(k, p=p) for p in probs[:n]])
    return probs[:n], labels, probs[n:]


@given(data=classification(), alpha=ALPHAS)
def test_sets_formula(kata, data, alpha):
    cal_probs, cal_labels, test_probs = data
    call = describe_call("conformal_sets", cal_probs, cal_labels, test_probs, alpha)
    got = call_unmodified(kata.conformal_sets, cal_probs, cal_labels, test_probs, alpha)
    n = cal_labels.size
    k = rank(n, alpha)
    scores = sorted((1 - cal_probs[np.arange(n), cal_labels]).tolist())
    q = math.inf if k > n else scores[k - 1]
    assert_equal(got, 1 - test_probs <= q, name="prediction sets", call=call)


def test_sets_include_a_class_exactly_at_the_threshold(kata):
    cal_probs = np.array([[0.75, 0.25], [0.5, 0.5], [0.25, 0.75], [0.75, 0.25]])
    cal_labels = np.array([0, 0, 1, 0])                   # scores 0.25, 0.5, 0.25, 0.25
    test_probs = np.array([[0.5, 0.5], [0.875, 0.125]])
    got = kata.conformal_sets(cal_probs, cal_labels, test_probs, 0.2)   # k = 4: q = 0.5
    assert_equal(got, [[True, True], [True, False]], name="sets (a score equal to q is in)",
                 call=describe_call("conformal_sets", cal_probs, cal_labels, test_probs, 0.2))


@settings(max_examples=6)
@given(seed=seeds(), alpha=st.sampled_from([0.1, 0.2]))
def test_set_coverage_over_many_seeds(kata, seed, alpha):
    rng = np.random.default_rng(seed)
    k, n_cal, reps = 4, 49, 300
    coverage = np.empty(reps)
    for r in range(reps):
        logits = rng.normal(size=(n_cal + 40, k)) * 2
        probs = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
        noisy = probs * 0.7 + 0.3 / k                       # the labels follow probs; the model is miscalibrated
        labels = (rng.random(n_cal + 40)[:, None] > np.cumsum(probs, axis=1)).sum(axis=1)
        sets = kata.conformal_sets(noisy[:n_cal], labels[:n_cal], noisy[n_cal:], alpha)
        coverage[r] = np.mean(sets[np.arange(40), labels[n_cal:]])
    mean, se = coverage.mean(), coverage.std(ddof=1) / math.sqrt(reps)
    exact = rank(n_cal, alpha) / (n_cal + 1)
    call = describe_call("conformal_sets", f"{n_cal} calibration points", "...", "40 test points", alpha)
    assert 1 - alpha - 4 * se <= mean <= exact + 4 * se, (
        f"{call}: mean coverage {mean:.4f} over {reps} seeds, expected between 1 - alpha = {1 - alpha:.3f} and "
        f"k/(n+1) = {exact:.4f} (standard error {se:.4f})")


def test_rejects_bad_arguments(kata):
    s = np.array([0.1, 0.2, 0.3])
    cases = [(lambda: kata.conformal_quantile(s, 0.0), "conformal_quantile with alpha=0"),
             (lambda: kata.conformal_quantile(s, 1.0), "conformal_quantile with alpha=1"),
             (lambda: kata.conformal_quantile(np.array([]), 0.1), "conformal_quantile of no scores"),
             (lambda: kata.conformal_quantile(np.ones((2, 2)), 0.1), "conformal_quantile of a 2-D array"),
             (lambda: kata.conformal_interval(s, s[:2], s, 0.1), "conformal_interval with 3 predictions, 2 targets"),
             (lambda: kata.conformal_interval(s, s[:1], s, 0.1), "conformal_interval with 3 predictions, 1 target"),
             (lambda: kata.conformal_interval(s, s, s, 1.5), "conformal_interval with alpha=1.5"),
             (lambda: kata.conformal_sets(s, np.array([0, 1, 0]), np.ones((1, 2)), 0.1), "conformal_sets with 1-D probs"),
             (lambda: kata.conformal_sets(np.ones((3, 2)) / 2, np.array([0, 1]), np.ones((1, 2)), 0.1),
              "conformal_sets with 3 rows and 2 labels"),
             (lambda: kata.conformal_sets(np.ones((3, 2)) / 2, np.array([0, 1, 1]), np.ones((1, 2)), -0.1),
              "conformal_sets with alpha=-0.1")]
    for fn, why in cases:
        with pytest.raises(ValueError):
            fn()
            pytest.fail(f"{why} returned instead of raising ValueError")
