"""Tests for ml-02-5, calibration: reliability curve, Brier score, Platt scaling, isotonic regression.

References: sklearn.calibration.calibration_curve and sklearn.metrics.brier_score_loss (exact, on
probabilities drawn on a grid of sixteenths so some sit exactly on bin edges); Platt's objective solved
by scipy's trust-region Newton to 1e-12 and sklearn's CalibratedClassifierCV(method="sigmoid");
sklearn.isotonic.isotonic_regression and IsotonicRegression(out_of_bounds="clip"); and the optimality
of isotonic regression (no monotone calibration map has a lower in-sample Brier score).
"""
import warnings

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from scipy.optimize import minimize
from scipy.special import expit
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.calibration import calibration_curve as sk_calibration_curve
from sklearn.frozen import FrozenEstimator
from sklearn.isotonic import IsotonicRegression, isotonic_regression
from sklearn.metrics import brier_score_loss

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, assert_shape, call_unmodified, describe_call

SIXTEENTHS = st.integers(0, 16).map(lambda v: v / 16)
LABELS = st.integers(0, 1)


@st.composite
def labelled_probabilities(draw: st.DrawFn, min_size: int = 1) -> tuple[np.ndarray, np.ndarray]:
    n = draw(st.integers(min_size, 24))
    y = draw(hnp.arrays(np.int64, (n,), elements=LABELS))
    p = draw(hnp.arrays(np.float64, (n,), elements=SIXTEENTHS))
    return y, p


@st.composite
def scored_labels(draw: st.DrawFn, min_size: int = 4) -> tuple[np.ndarray, np.ndarray]:
    """Raw classifier scores with a signal, labels from a logistic model; both classes present."""
    seed, n = draw(seeds()), draw(st.integers(min_size, 80))
    scale, slope = draw(st.sampled_from([1.0, 10.0, 100.0])), draw(st.floats(0.5, 4.0))
    rng = np.random.default_rng(seed)
    s = rng.normal(size=n)
    y = (rng.random(n) < expit(slope * s + rng.uniform(-1, 1))).astype(np.int64)
    y[:2] = [0, 1]
    return s * scale, y


def platt_reference(s: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Platt's objective with smoothed targets, minimised by scipy's trust-exact (Newton) to 1e-12."""
    n_pos, n_neg = int(y.sum()), int(len(y) - y.sum())
    t = np.where(y == 1, (n_pos + 1) / (n_pos + 2), 1 / (n_neg + 2))
    scale = max(1.0, float(np.max(np.abs(s))))  # optimise in units where |s| <= 1, then convert back
    D = np.column_stack([s / scale, np.ones_like(s)])

    def fun(th):  # Σ −[t log p + (1 − t) log(1 − p)] with p = σ(−f), f = D θ
        f = D @ th
        return float(np.sum(t * np.logaddexp(0, f) + (1 - t) * np.logaddexp(0, -f)))

    def jac(th):
        return D.T @ (expit(D @ th) - (1 - t))

    def hess(th):
        q = expit(D @ th)
        return D.T @ (D * (q * (1 - q))[:, None])

    res = minimize(fun, np.zeros(2), jac=jac, hess=hess, method="trust-exact", options={"gtol": 1e-12})
    return np.array([res.x[0] / scale, res.x[1]])


class GivenScores(ClassifierMixin, BaseEstimator):
    """A 'classifier' whose decision_function is its single input column: lets sklearn calibrate raw scores."""

    def fit(self, X, y):
        self.classes_ = np.array([0, 1])
        return self

    def decision_function(self, X):
        return np.asarray(X)[:, 0]

    def predict(self, X):
        return (np.asarray(X)[:, 0] > 0).astype(int)


EDGES = (np.array([0, 1, 1, 0, 1, 0]), np.array([0.0, 0.25, 0.5, 0.5, 1.0, 0.75]))
SEPARATED = (np.arange(-5.0, 6.0), (np.arange(-5.0, 6.0) > 0).astype(np.int64))  # no 0/1-target optimum


@given(data=labelled_probabilities(), n_bins=st.sampled_from([1, 2, 3, 4, 5, 8, 10]),
       strategy=st.sampled_from(["uniform", "quantile"]))
@example(data=EDGES, n_bins=4, strategy="uniform")  # 0.25, 0.5 and 0.75 sit exactly on inner edges
@example(data=EDGES, n_bins=4, strategy="quantile")
@example(data=(np.array([1, 0, 1]), np.array([0.125, 0.125, 0.875])), n_bins=5, strategy="uniform")  # empty bins
def test_calibration_curve_matches_sklearn(kata, data, n_bins, strategy):
    y, p = data
    call = describe_call("calibration_curve", y, p, n_bins=n_bins, strategy=strategy)
    got_true, got_pred = call_unmodified(kata.calibration_curve, y, p, n_bins=n_bins, strategy=strategy)
    want_true, want_pred = sk_calibration_curve(y, p, n_bins=n_bins, strategy=strategy)
    assert_shape(got_pred, want_pred.shape, name="prob_pred (one entry per non-empty bin)", call=call)
    # Ratios of small integers and sixteenths: every implementation gets the same doubles.
    assert_close(got_pred, want_pred, rtol=0, atol=1e-12, name="prob_pred (mean probability per bin)", call=call)
    assert_close(got_true, want_true, rtol=0, atol=1e-12, name="prob_true (fraction of positives per bin)",
                 call=call)


@given(data=labelled_probabilities(), bad=st.sampled_from([-0.0625, 1.0625, 2.0]))
@example(data=(np.array([0, 1]), np.array([0.0, 1.0])), bad=1.0000001)  # just past 1
def test_calibration_curve_rejects_bad_input(kata, data, bad):
    y, p = data
    for strategy in ("uniform", "quantile"):  # 0 and 1 themselves are valid probabilities
        call_unmodified(kata.calibration_curve, y, p, n_bins=3, strategy=strategy)
    with pytest.raises(ValueError):
        kata.calibration_curve(y, p, n_bins=3, strategy="kmeans")
    outside = np.r_[p, bad]
    with pytest.raises(ValueError):
        kata.calibration_curve(np.r_[y, 1], outside, n_bins=3)


@given(data=labelled_probabilities(), weighted=st.booleans(), seed=seeds())
@example(data=(np.array([0, 1, 1]), np.array([0.25, 0.5, 1.0])), weighted=True, seed=0)
def test_brier_score_matches_sklearn(kata, data, weighted, seed):
    y, p = data
    w = np.random.default_rng(seed).integers(1, 9, size=len(y)) / 4 if weighted else None
    call = describe_call("brier_score", y, p, sample_weight=w)
    assert_close(kata.brier_score(y, p, sample_weight=w), brier_score_loss(y, p, sample_weight=w), rtol=1e-12,
                 atol=1e-15, name="Brier score", call=call)


@given(data=scored_labels())
@example(data=(np.array([-2.0, -1.0, 1.0, 2.0]), np.array([0, 0, 1, 1])))  # perfectly separated scores
@example(data=SEPARATED)
def test_platt_scaling_matches_a_tight_newton_solve(kata, data):
    s, y = data
    call = describe_call("platt_scaling", s, y)
    with np.errstate(over="ignore"):
        A, B = call_unmodified(kata.platt_scaling, s, y)
    want = platt_reference(s, y)
    hint = " (both signs flipped: use P = 1/(1 + exp(A·s + B)), as Platt and sklearn do)" if (
        np.allclose([A, B], -want, rtol=1e-5, atol=1e-7) and np.abs(want).max() > 1e-6) else ""
    # Both solutions are converged far below 1e-7 on this smooth, strictly convex 2-parameter problem.
    assert_close(np.array([A, B]), want, rtol=1e-7, atol=1e-7, name="(A, B)" + hint, call=call)


@settings(max_examples=8)  # every CalibratedClassifierCV fit costs tens of milliseconds
@given(data=scored_labels(min_size=10))  # sklearn's internal 5-fold split needs >= 5 samples per fold
@example(data=SEPARATED)
def test_platt_probabilities_match_calibrated_classifier_cv(kata, data):
    s, y = data
    A, B = kata.platt_scaling(s, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cal = CalibratedClassifierCV(FrozenEstimator(GivenScores().fit(None, None)), method="sigmoid")
        want = cal.fit(s[:, None], y).predict_proba(s[:, None])[:, 1]
    # sklearn stops L-BFGS at gtol=1e-6 on the summed loss: its probabilities are good to ~1e-7.
    assert_close(expit(-(A * s + B)), want, rtol=0, atol=1e-5,
                 name="1/(1 + exp(A·s + B)) (vs CalibratedClassifierCV(method='sigmoid'))",
                 call=describe_call("platt_scaling", s, y))


@given(y=hnp.arrays(np.float64, st.integers(1, 40), elements=st.integers(-20, 20).map(lambda v: v / 4)),
       weighted=st.booleans(), seed=seeds())
@example(y=np.array([3.0, 1.0, 2.0, 0.0]), weighted=False, seed=0)  # a violator that must merge backwards twice
@example(y=np.array([1.0, 0.0]), weighted=True, seed=1)
def test_pool_adjacent_violators_matches_sklearn(kata, y, weighted, seed):
    w = np.random.default_rng(seed).integers(1, 9, size=len(y)) / 4 if weighted else None
    call = describe_call("pool_adjacent_violators", y, sample_weight=w)
    got = np.asarray(call_unmodified(kata.pool_adjacent_violators, y, sample_weight=w))
    assert_shape(got, y.shape, call=call)
    assert np.all(np.diff(got) >= -1e-12), f"{call} is not non-decreasing: {got.tolist()}"
    # The weighted least-squares isotonic fit is unique; block means of quarters agree to rounding.
    assert_close(got, isotonic_regression(y, sample_weight=w), rtol=1e-12, atol=1e-12,
                 name="isotonic fit (vs sklearn.isotonic.isotonic_regression)", call=call)


@given(data=labelled_probabilities(min_size=2), seed=seeds())
@example(data=(np.array([0, 1, 1, 0, 1]), np.array([0.5, 0.5, 0.25, 0.75, 0.75])), seed=2)  # tied scores
def test_isotonic_calibrator_matches_sklearn(kata, data, seed):
    y, s = data
    s = s * 8 - 3  # scores need not be probabilities; still on a grid, so ties stay exact
    call = describe_call("IsotonicCalibrator().fit", s, y)
    model = kata.IsotonicCalibrator()
    assert call_unmodified(model.fit, s, y) is model, f"{call} must return self"
    assert_equal(model.X_thresholds_, np.unique(s), name="X_thresholds_ (the distinct scores, sorted)", call=call)
    ref = IsotonicRegression(out_of_bounds="clip").fit(s, y)
    new = np.r_[s, np.random.default_rng(seed).uniform(s.min() - 2, s.max() + 2, size=10)]
    assert_close(model.predict(new), ref.predict(new), rtol=0, atol=1e-12,
                 name="predict (training scores, then new ones in and beyond the range)", call=call)


@given(data=scored_labels())
def test_isotonic_calibration_has_the_lowest_in_sample_brier_score(kata, data):
    """Isotonic regression minimises squared error over all non-decreasing maps, Platt's sigmoid included."""
    s, y = data
    iso = kata.brier_score(y, kata.IsotonicCalibrator().fit(s, y).predict(s))
    A, B = platt_reference(s, y)
    platt = float(np.mean((expit(-(A * s + B)) - y) ** 2))
    base = float(np.var(y))  # the Brier score of always predicting the base rate
    call = describe_call("IsotonicCalibrator().fit(s, y).predict", s)
    assert iso <= base + 1e-12, f"{call}: in-sample Brier {iso:.6g} is worse than predicting the base rate ({base:.6g})"
    if A <= 0:  # Platt's map is non-decreasing in s: isotonic must do at least as well
        assert iso <= platt + 1e-12, f"{call}: in-sample Brier {iso:.6g} is worse than Platt scaling's {platt:.6g}"
