"""Tests for prod-01-5, side-by-side evaluation: win rate with bootstrap CI, Bradley-Terry ranking.

References: scipy.stats.bootstrap(method="percentile") with the same generator (the docstring fixes
the draw, so the intervals agree to rounding); for Bradley-Terry, the likelihood equations that pin
the maximum (each player's expected wins equal its observed wins), a logistic regression without
intercept on pairwise differences (sklearn), and the two-player closed form s_0 - s_1 = log(w01 / w10).
"""
import warnings

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from scipy import stats
from scipy.special import expit

from grader.strategies import seeds
from grader.testing import assert_close, assert_seeded, call_unmodified, describe_call

OUTCOMES = st.lists(st.sampled_from([0.0, 0.5, 1.0]), min_size=1, max_size=30).map(np.array)


def scipy_ci(x: np.ndarray, n_resamples: int, confidence: float, seed: int) -> tuple[float, float]:
    if x.size == 1:                  # one observation: every resample is that observation
        return float(x[0]), float(x[0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")      # scipy warns on all-equal samples; the interval is still defined
        res = stats.bootstrap((x,), np.mean, n_resamples=n_resamples, confidence_level=confidence,
                              method="percentile", vectorized=True, rng=np.random.default_rng(seed))
    return float(res.confidence_interval.low), float(res.confidence_interval.high)


@given(x=OUTCOMES, n_resamples=st.sampled_from([1, 2, 9, 200]), confidence=st.sampled_from([0.5, 0.8, 0.9, 0.95]),
       seed=seeds())
@example(x=np.array([1.0, 0.0, 0.5, 1.0, 1.0, 0.0, 1.0]), n_resamples=200, confidence=0.9, seed=3)
@example(x=np.array([1.0]), n_resamples=9, confidence=0.95, seed=0)
@example(x=np.array([0.5, 0.5, 0.5]), n_resamples=2, confidence=0.5, seed=1)
def test_win_rate_ci_matches_scipy_bootstrap(kata, x, n_resamples, confidence, seed):
    call = describe_call("win_rate_ci", x, n_resamples=n_resamples, confidence=confidence, seed=seed)
    rate, low, high = call_unmodified(kata.win_rate_ci, x, n_resamples=n_resamples, confidence=confidence, seed=seed)
    want_low, want_high = scipy_ci(x, n_resamples, confidence, seed)
    # means of at most 30 halves, then one linear interpolation: rounding only
    assert_close(rate, x.mean(), rtol=0, atol=1e-12, name="win rate", call=call)
    assert_close([low, high], [want_low, want_high], rtol=0, atol=1e-12, name="(low, high)", call=call)


@given(x=OUTCOMES)
def test_win_rate_ci_defaults(kata, x):
    call = describe_call("win_rate_ci", x)
    rate, low, high = kata.win_rate_ci(x)
    assert_close([rate, low, high], [x.mean(), *scipy_ci(x, 2000, 0.95, 0)], rtol=0, atol=1e-12,
                 name="(rate, low, high) with n_resamples=2000, confidence=0.95, seed=0", call=call)


@given(seed=seeds(), n=st.integers(15, 30))
def test_win_rate_ci_is_seeded(kata, seed, n):
    x = np.resize(np.array([1.0, 0.0, 0.5, 1.0]), n)
    assert_seeded(lambda s: kata.win_rate_ci(x, n_resamples=5, confidence=0.9, seed=s)[1:], seed,
                  name="bootstrap interval")


def test_win_rate_ci_rejects_bad_arguments(kata):
    good = np.array([1.0, 0.0, 0.5])
    cases = [((np.array([]),), {}, "no outcomes"), ((np.array([1.0, 2.0]),), {}, "an outcome of 2"),
             ((np.array([0.0, 0.25]),), {}, "an outcome of 0.25"), ((np.ones((2, 2)),), {}, "2-D outcomes"),
             ((good,), {"confidence": 0.0}, "confidence 0"), ((good,), {"confidence": 1.0}, "confidence 1"),
             ((good,), {"n_resamples": 0}, "n_resamples 0")]
    for args, kwargs, why in cases:
        with pytest.raises(ValueError):
            kata.win_rate_ci(*args, **kwargs)
            pytest.fail(f"win_rate_ci with {why} returned instead of raising ValueError")


@st.composite
def win_matrices(draw: st.DrawFn) -> np.ndarray:
    """Random win counts with a cycle 0 -> 1 -> ... -> 0 of wins, so the maximum likelihood exists."""
    k = draw(st.integers(2, 5))
    rng = np.random.default_rng(draw(seeds()))
    w = rng.integers(0, 9, size=(k, k)).astype(np.float64) * (rng.random((k, k)) < 0.7)
    for i in range(k):
        w[i, (i + 1) % k] += 1
        w[(i + 1) % k, i] += k == 2          # two players: both directions needed
    np.fill_diagonal(w, 0)
    return w


@given(w=win_matrices())
@example(w=np.array([[0.0, 3.0], [1.0, 0.0]]))
@example(w=np.array([[0.0, 5.0, 0.0], [0.0, 0.0, 2.0], [1.0, 0.0, 0.0]]))    # a bare cycle
def test_bradley_terry_solves_the_likelihood_equations(kata, w):
    call = describe_call("bradley_terry", w)
    s = call_unmodified(kata.bradley_terry, w)
    s = np.asarray(s, dtype=np.float64)
    assert_close(s.mean(), 0.0, rtol=0, atol=1e-9, name="mean of the log-strengths", call=call)
    n = w + w.T
    expected_wins = (n * expit(s[:, None] - s[None, :])).sum(axis=1)
    # at the maximum the gradient vanishes; 1e-8 accuracy in s moves these by < 1e-6
    assert_close(expected_wins, w.sum(axis=1), rtol=1e-6, atol=1e-6, name="expected wins per player", call=call)


def newton_bt(w: np.ndarray) -> np.ndarray:
    """Newton's method on the concave log-likelihood, in float64, to machine precision."""
    n, s = w + w.T, np.zeros(len(w))
    for _ in range(100):
        p = expit(s[:, None] - s[None, :])
        grad = w.sum(axis=1) - (n * p).sum(axis=1)
        h = n * p * (1 - p)
        lap = np.diag(h.sum(axis=1)) - h            # minus the Hessian: a weighted graph Laplacian
        s = s + np.linalg.lstsq(lap, grad, rcond=None)[0]
        s -= s.mean()
    return s


@given(w=win_matrices())
@example(w=np.array([[0.0, 30.0, 1.0], [1.0, 0.0, 30.0], [30.0, 1.0, 0.0]]))
@example(w=np.array([[0.0, 50.0, 50.0, 50.0], [1.0, 0.0, 50.0, 50.0], [1.0, 1.0, 0.0, 50.0], [1.0, 1.0, 1.0, 0.0]]))
def test_bradley_terry_matches_newton(kata, w):
    # the docstring promises 1e-8 in s
    assert_close(kata.bradley_terry(w), newton_bt(w), rtol=0, atol=1e-8, name="log-strengths",
                 call=describe_call("bradley_terry", w))


@given(w=win_matrices())
def test_bradley_terry_matches_logistic_regression(kata, w):
    from sklearn.linear_model import LogisticRegression

    k = len(w)
    rows, ys, weights = [], [], []
    for i in range(k):
        for j in range(k):
            if w[i, j] > 0:
                x = np.zeros(k)
                x[i], x[j] = 1.0, -1.0
                rows += [x, -x]
                ys += [1, 0]
                weights += [w[i, j], w[i, j]]
    model = LogisticRegression(C=np.inf, fit_intercept=False, tol=1e-12, max_iter=10_000)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model.fit(np.array(rows), np.array(ys), sample_weight=np.array(weights))
    coef = model.coef_[0] - model.coef_[0].mean()
    # lbfgs stops at its own tolerance: agreement to 1e-4 in log-strength
    assert_close(kata.bradley_terry(w), coef, rtol=0, atol=1e-4, name="log-strengths",
                 call=describe_call("bradley_terry", w))


@given(a=st.integers(1, 20), b=st.integers(1, 20), scale=st.sampled_from([1.0, 3.0, 0.5]))
@example(a=1, b=1, scale=1.0)
def test_two_players_closed_form(kata, a, b, scale):
    w = np.array([[0.0, a], [b, 0.0]]) * scale
    d = np.log(a / b) / 2
    assert_close(kata.bradley_terry(w), [d, -d], rtol=0, atol=1e-8, name="log-strengths",
                 call=describe_call("bradley_terry", w))


def test_bradley_terry_rejects_bad_matrices(kata):
    cases = [(np.zeros((2, 3)), "a (2, 3) matrix"), (np.zeros((1, 1)), "one player"),
             (np.array([[0.0, -1.0], [2.0, 0.0]]), "a negative count"),
             (np.array([[1.0, 1.0], [2.0, 0.0]]), "a non-zero diagonal"), (np.ones(3), "a 1-D array"),
             (np.array([[0.0], [1.0], [2.0]]), "a (3, 1) column (it broadcasts against its transpose)")]
    for w, why in cases:
        with pytest.raises(ValueError):
            kata.bradley_terry(w)
            pytest.fail(f"bradley_terry with {why} returned instead of raising ValueError")
