"""Tests for prod-01-6, Cohen's kappa and Krippendorff's alpha.

References: sklearn.metrics.cohen_kappa_score (all three weightings); the `krippendorff` package
(nominal and interval levels, missing values); Krippendorff's own worked example (alpha = 0.743
nominal, 0.849 interval, from *Computing Krippendorff's Alpha-Reliability*, 2011).
"""
import krippendorff
import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score

from grader.strategies import seeds
from grader.testing import assert_close, call_unmodified, describe_call

WEIGHTS = st.sampled_from([None, "linear", "quadratic"])
TEXTBOOK = np.array([[1, 2, 3, 3, 2, 1, 4, 1, 2, np.nan, np.nan, np.nan],
                     [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, np.nan, 3],
                     [np.nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, np.nan],
                     [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, np.nan]])


@st.composite
def label_pairs(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray]:
    n = draw(st.integers(2, 25))
    rng = np.random.default_rng(draw(seeds()))
    labels = np.array(draw(st.sampled_from([[0, 1], [1, 2, 5], [0, 3, 4, 7], [-2, 0, 10]])))
    a = rng.choice(labels, size=n)
    b = np.where(rng.random(n) < draw(st.sampled_from([0.0, 0.5, 0.9])), a, rng.choice(labels, size=n))
    if len(np.unique(np.concatenate([a, b]))) < 2:
        b[0] = labels[1] if a[0] == labels[0] else labels[0]
    return a, b


@given(pair=label_pairs(), weights=WEIGHTS)
@example(pair=(np.array([0, 0, 1, 1]), np.array([0, 1, 0, 1])), weights=None)          # chance agreement: 0
@example(pair=(np.array([1, 5, 2, 5]), np.array([2, 5, 1, 5])), weights="linear")     # labels 1, 2, 5: indices, not values
@example(pair=(np.array([0, 1, 2, 2]), np.array([1, 2, 2, 0])), weights="quadratic")
@example(pair=(np.array([3, 7]), np.array([3, 7])), weights=None)                      # perfect: 1
@example(pair=(np.array([3]), np.array([4])), weights=None)                            # one item is enough: 0
def test_cohen_kappa_matches_sklearn(kata, pair, weights):
    a, b = pair
    call = describe_call("cohen_kappa", a, b, weights=weights)
    got = call_unmodified(kata.cohen_kappa, a, b, weights=weights)
    # ratios of sums of at most 25 small rationals: rounding only
    assert_close(got, cohen_kappa_score(a, b, weights=weights), rtol=1e-10, atol=1e-12, name="kappa", call=call)


@given(pair=label_pairs())
def test_cohen_kappa_default_is_unweighted(kata, pair):
    a, b = pair
    assert_close(kata.cohen_kappa(a, b), cohen_kappa_score(a, b), rtol=1e-10, atol=1e-12, name="kappa",
                 call=describe_call("cohen_kappa", a, b))


def test_cohen_kappa_on_string_labels(kata):
    a = np.array(["cat", "dog", "dog", "eel", "cat"])
    b = np.array(["cat", "dog", "eel", "eel", "dog"])
    assert_close(kata.cohen_kappa(a, b), cohen_kappa_score(a, b), rtol=1e-10, atol=1e-12, name="kappa",
                 call=describe_call("cohen_kappa", a, b))


def test_cohen_kappa_rejects_bad_inputs(kata):
    cases = [((np.array([]), np.array([])), {}, "empty arrays"), ((np.array([0, 1]), np.array([0])), {}, "lengths 2 and 1"),
             ((np.zeros((2, 2)), np.zeros((2, 2))), {}, "2-D arrays"),
             ((np.array([0, 1]), np.array([1, 0])), {"weights": "cubic"}, "weights='cubic'"),
             ((np.array([4, 4, 4]), np.array([4, 4, 4])), {}, "one shared label (kappa undefined)")]
    for args, kwargs, why in cases:
        with pytest.raises(ValueError):
            kata.cohen_kappa(*args, **kwargs)
            pytest.fail(f"cohen_kappa with {why} returned instead of raising ValueError")


@st.composite
def reliability_data(draw: st.DrawFn) -> np.ndarray:
    raters, units = draw(st.integers(2, 4)), draw(st.integers(2, 8))
    rng = np.random.default_rng(draw(seeds()))
    truth = rng.integers(1, draw(st.integers(3, 6)), size=units).astype(np.float64)
    x = np.where(rng.random((raters, units)) < 0.7, truth, rng.integers(1, 6, size=(raters, units)))
    x[rng.random((raters, units)) < draw(st.sampled_from([0.0, 0.3]))] = np.nan
    x[:2, 0] = [1.0, 2.0]        # at least one pairable unit, and two distinct values
    return x


@given(x=reliability_data(), level=st.sampled_from(["nominal", "interval"]))
@example(x=TEXTBOOK, level="nominal")      # 0.743
@example(x=TEXTBOOK, level="interval")     # 0.849
@example(x=np.array([[1.0, 2.0, np.nan], [1.0, 3.0, 4.0]]), level="interval")   # a unit with one value is not pairable
@example(x=np.array([[1.0, 2.0, 3.0], [1.0, 2.0, 1.0], [np.nan, 2.0, 3.0]]), level="nominal")   # units of 2 and 3 values
def test_krippendorff_alpha_matches_package(kata, x, level):
    call = describe_call("krippendorff_alpha", x, level=level)
    got = call_unmodified(kata.krippendorff_alpha, x, level=level)
    want = krippendorff.alpha(reliability_data=x, level_of_measurement=level)
    assert_close(got, want, rtol=1e-9, atol=1e-12, name="alpha", call=call)


@given(x=reliability_data())
def test_krippendorff_alpha_default_is_nominal(kata, x):
    want = krippendorff.alpha(reliability_data=x, level_of_measurement="nominal")
    assert_close(kata.krippendorff_alpha(x), want, rtol=1e-9, atol=1e-12, name="alpha",
                 call=describe_call("krippendorff_alpha", x))


def test_krippendorff_alpha_rejects_bad_inputs(kata):
    cases = [(np.ones(3), {}, "a 1-D array"), (np.arange(8.0).reshape(2, 2, 2), {}, "a 3-D array"), (np.array([[1.0, 2.0], [1.0, 3.0]]), {"level": "ordinalish"}, "an unknown level"),
             (np.array([[1.0, np.nan], [np.nan, 2.0]]), {}, "no unit with two values"),
             (np.array([[2.0, 2.0], [2.0, 2.0]]), {}, "one value everywhere (D_e = 0)")]
    for x, kwargs, why in cases:
        with pytest.raises(ValueError):
            kata.krippendorff_alpha(x, **kwargs)
            pytest.fail(f"krippendorff_alpha with {why} returned instead of raising ValueError")
