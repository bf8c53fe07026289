"""Tests for nlp-39-3, reward-model calibration curves.

References: sklearn.calibration.calibration_curve (strategy="uniform") for the curve; the bin
counts by np.searchsorted + np.bincount on the same edges; the temperature against
scipy.optimize.minimize_scalar on the same bounded negative log-likelihood (and the likelihood at
the learner's temperature must be no worse). The trained effect: a Bradley-Terry reward model
fitted almost unregularised on 60 comparisons of 20-feature answers is overconfident on held-out
comparisons (large ECE, temperature well above 1) and temperature scaling repairs it; the same model
fitted on 4000 comparisons is calibrated already.
"""
import matplotlib
import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scipy.optimize import minimize_scalar
from sklearn.calibration import calibration_curve as sk_calibration_curve
from sklearn.linear_model import LogisticRegression

from grader.strategies import dims, seeds
from grader.testing import assert_close, assert_equal, call_unmodified, describe_call

matplotlib.use("Agg")


@st.composite
def labelled_probs(draw):
    n = draw(dims(1, 60))
    rng = np.random.default_rng(draw(seeds()))
    grid = draw(st.booleans())       # on a grid of tenths many values sit exactly on bin edges
    p = rng.integers(0, 11, n) / 10 if grid else rng.random(n)
    y = rng.random(n) < p
    return y, p


def ref_counts(p, n_bins):
    ids = np.searchsorted(np.linspace(0, 1, n_bins + 1)[1:-1], p)
    counts = np.bincount(ids, minlength=n_bins)
    return counts[counts > 0]


@given(data=labelled_probs(), n_bins=st.sampled_from([1, 2, 5, 10, 15]))
@example(data=(np.array([True, False]), np.array([0.5, 0.5])), n_bins=2)          # on the edge: lower bin
@example(data=(np.array([True, False, True]), np.array([0.0, 1.0, 0.2])), n_bins=5)
@example(data=(np.array([False]), np.array([0.3])), n_bins=1)
def test_curve_matches_sklearn(kata, data, n_bins):
    y, p = data
    call = describe_call("calibration_curve", y, p, n_bins=n_bins)
    frac, mean_p, counts = call_unmodified(kata.calibration_curve, y, p, n_bins=n_bins)
    want_frac, want_mean = sk_calibration_curve(y, p, n_bins=n_bins, strategy="uniform")
    assert_close(frac, want_frac, rtol=0, atol=1e-12, name="fraction of positives per bin (reference: sklearn)", call=call)
    assert_close(mean_p, want_mean, rtol=0, atol=1e-12, name="mean predicted probability per bin (reference: sklearn)",
                 call=call)
    assert_equal(np.asarray(counts), ref_counts(p, n_bins), name="examples per non-empty bin", call=call)


def test_default_is_ten_bins(kata):
    rng = np.random.default_rng(0)
    p = rng.random(200)
    y = rng.random(200) < p
    frac, mean_p, _ = kata.calibration_curve(y, p)
    want_frac, want_mean = sk_calibration_curve(y, p, n_bins=10)
    call = "calibration_curve(y, p) with the default n_bins=10"
    assert_close(frac, want_frac, rtol=0, atol=1e-12, name="fraction of positives", call=call)
    assert_close(mean_p, want_mean, rtol=0, atol=1e-12, name="mean predicted probability", call=call)


@given(data=labelled_probs(), n_bins=st.sampled_from([1, 3, 10]))
@example(data=(np.array([True, True]), np.array([1.0, 1.0])), n_bins=10)        # perfectly calibrated: 0
@example(data=(np.array([False, True]), np.array([0.5, 0.5])), n_bins=1)
def test_ece_is_the_count_weighted_gap(kata, data, n_bins):
    y, p = data
    call = describe_call("expected_calibration_error", y, p, n_bins=n_bins)
    got = call_unmodified(kata.expected_calibration_error, y, p, n_bins=n_bins)
    frac, mean_p = sk_calibration_curve(y, p, n_bins=n_bins)
    counts = ref_counts(p, n_bins)
    assert_close(got, (counts * np.abs(frac - mean_p)).sum() / len(y), rtol=0, atol=1e-12,
                 name="ECE = Σ (n_b / N) |positives_b - confidence_b|", call=call)


def test_ece_default_bins(kata):
    rng = np.random.default_rng(1)
    p = rng.random(300)
    y = rng.random(300) < p ** 2
    assert_close(kata.expected_calibration_error(y, p), kata.expected_calibration_error(y, p, n_bins=10),
                 rtol=0, atol=0, name="ECE", call="expected_calibration_error(y, p) with the default n_bins=10")


@given(case=st.sampled_from(["n_bins 0", "p above 1", "p below 0", "lengths", "empty"]))
@example(case="n_bins 0")
@example(case="p above 1")
def test_curve_rejects_bad_input(kata, case):
    y, p, n_bins = np.array([True, False, True]), np.array([0.1, 0.5, 0.9]), 5
    if case == "n_bins 0":
        n_bins = 0
    elif case == "p above 1":
        p = np.array([0.1, 0.5, 1.25])
    elif case == "p below 0":
        p = np.array([-0.25, 0.5, 0.9])
    elif case == "lengths":
        y = y[:2]
    else:
        y, p = y[:0], p[:0]
    for fn in ("calibration_curve", "expected_calibration_error"):
        with pytest.raises(ValueError):
            getattr(kata, fn)(y, p, n_bins=n_bins)
            pytest.fail(f"{fn} with {case} returned instead of raising ValueError")


def nll(margins, y, t):
    sign = np.where(y, 1.0, -1.0)
    return np.logaddexp(0.0, -sign * margins / t).mean()


@given(seed=seeds(), n=dims(2, 80), sharpness=st.sampled_from([0.2, 1.0, 5.0]))
@example(seed=0, n=2, sharpness=1.0)
@example(seed=1, n=50, sharpness=5.0)
def test_temperature_minimises_the_likelihood(kata, seed, n, sharpness):
    rng = np.random.default_rng(seed)
    true_margin = rng.normal(0, 2, n)
    y = rng.random(n) < 1 / (1 + np.exp(-true_margin))
    y[0], y[1] = True, False
    margins = sharpness * true_margin
    call = describe_call("fit_temperature", margins, y)
    got = call_unmodified(kata.fit_temperature, margins, y)
    ref = minimize_scalar(lambda lt: nll(margins, y, np.exp(lt)), bounds=(np.log(1e-2), np.log(1e2)), method="bounded",
                          options={"xatol": 1e-10})
    want = float(np.exp(ref.x))
    assert 1e-2 <= got <= 1e2, f"{call} returned T = {got}, outside the documented search range [0.01, 100]"
    assert nll(margins, y, got) <= nll(margins, y, want) + 1e-9, (
        f"{call}: NLL {nll(margins, y, got):.10f} at T = {got:.6g}, {nll(margins, y, want):.10f} at T = {want:.6g}")
    assert_close(got, want, rtol=1e-3, atol=0, name="temperature (reference: scipy minimize_scalar)", call=call)


@given(case=st.sampled_from(["lengths", "empty", "2-D"]))
@example(case="lengths")
def test_temperature_rejects_bad_input(kata, case):
    m, y = np.array([1.0, -1.0, 2.0]), np.array([True, False, True])
    if case == "lengths":
        y = y[:2]
    elif case == "empty":
        m, y = m[:0], y[:0]
    else:
        m, y = m[None], y[None]
    with pytest.raises(ValueError):
        kata.fit_temperature(m, y)
        pytest.fail(f"fit_temperature with {case} input returned instead of raising ValueError")


def test_plot_draws_the_diagonal_and_one_line_per_model(kata):
    curves = {"small data": (np.array([0.2, 0.5, 0.7]), np.array([0.1, 0.5, 0.9])),
              "large data": (np.array([0.3, 0.6]), np.array([0.3, 0.6]))}
    fig = kata.plot_calibration(curves)
    ax = fig.axes[0]
    lines = ax.get_lines()
    assert len(lines) == 3, f"plot_calibration drew {len(lines)} lines; expected the diagonal and one per model (3)"
    xy = [(tuple(np.round(line.get_xdata(), 6)), tuple(np.round(line.get_ydata(), 6))) for line in lines]
    assert ((0.0, 1.0), (0.0, 1.0)) in xy, "no line from (0, 0) to (1, 1): the perfectly calibrated diagonal is missing"
    assert ((0.1, 0.5, 0.9), (0.2, 0.5, 0.7)) in xy, (
        "the 'small data' curve should plot mean predicted probability (x) against the fraction preferred (y)")
    labels = [t.get_text() for t in ax.get_legend().get_texts()] if ax.get_legend() else []
    assert {"small data", "large data"} <= set(labels), f"legend {labels} should name every model"
    assert ax.get_xlabel() and ax.get_ylabel(), "label both axes"


def reward_model_margins(seed: int, n_train: int):
    """Fit a near-unregularised linear Bradley-Terry model on n_train comparisons; margins on fresh ones."""
    rng = np.random.default_rng(seed)
    w_true = rng.normal(0, 1, 20) * 2 / np.sqrt(20)

    def comparisons(n):
        diff = rng.normal(0, 1, (n, 20))           # features of answer A minus answer B
        return diff, rng.random(n) < 1 / (1 + np.exp(-diff @ w_true))

    x, y = comparisons(n_train)
    w = LogisticRegression(C=1e4, fit_intercept=False, max_iter=5000).fit(x, y).coef_[0]
    (xv, yv), (xt, yt) = comparisons(2000), comparisons(4000)
    return xv @ w, yv, xt @ w, yt


@settings(max_examples=2)
@given(seed=seeds())
@example(seed=0)
def test_overfit_reward_model_is_overconfident_and_temperature_fixes_it(kata, seed):
    for n_train, overfit in ((60, True), (4000, False)):
        mv, yv, mt, yt = reward_model_margins(seed, n_train)
        ece = kata.expected_calibration_error(yt, 1 / (1 + np.exp(-mt)))
        t = kata.fit_temperature(mv, yv)
        ece_scaled = kata.expected_calibration_error(yt, 1 / (1 + np.exp(-mt / t)))
        shown = f"reward model fitted on {n_train} comparisons: held-out ECE {ece:.3f}, temperature {t:.2f}, ECE after scaling {ece_scaled:.3f}"
        if overfit:
            assert ece > 0.12 and t > 2, f"{shown}: expected an overconfident model (ECE > 0.12, T > 2)"
            assert ece_scaled < ece / 3, f"{shown}: temperature scaling should cut the ECE at least threefold"
        else:
            assert ece < 0.06 and 0.75 < t < 1.33, f"{shown}: expected a calibrated model (ECE < 0.06, T near 1)"
