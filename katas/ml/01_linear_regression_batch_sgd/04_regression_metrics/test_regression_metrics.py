"""Tests for ml-01-4, regression metrics.

Reference: sklearn.metrics (mean_squared_error, mean_absolute_error, r2_score) on the same inputs,
with sample weights and every multioutput mode, plus R²'s defining properties (1 for a perfect fit,
0 for predicting the mean, the squared correlation for a least-squares fit with intercept).

Values are drawn on a grid of quarters so that constant columns are exactly constant for every
implementation: R²'s special case (SS_tot = 0) must not depend on rounding.
"""
import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp
from sklearn import metrics
from sklearn.linear_model import LinearRegression

from grader.strategies import float_dtypes, seeds
from grader.testing import assert_close, assert_dtype, assert_shape, call_unmodified, describe_call

# float64 sums of at most a dozen terms: agreement to 1e-12 relative, 1e-12 absolute near zero.
RTOL, ATOL = 1e-10, 1e-12
QUARTERS = st.integers(-40, 40).map(lambda v: v / 4)
WEIGHTS = st.integers(1, 16).map(lambda v: v / 4)
SAMPLE_WEIGHTS = st.integers(0, 16).map(lambda v: v / 4)  # "non-negative": a zero weight drops a sample


@st.composite
def regression_case(draw: st.DrawFn) -> dict:
    """y_true, y_pred (1-D or (n, k)), optional sample_weight and a multioutput mode."""
    n, k = draw(st.integers(2, 12)), draw(st.integers(0, 3))
    shape = (n,) if k == 0 else (n, k)
    y_true = draw(hnp.arrays(np.float64, shape, elements=QUARTERS))
    if draw(st.booleans()):  # often a copy with a few entries changed: small errors, perfect columns
        y_pred = y_true.copy()
        flat = y_pred.reshape(-1)
        for i in draw(st.lists(st.integers(0, flat.size - 1), max_size=3)):
            flat[i] = draw(QUARTERS)
    else:
        y_pred = draw(hnp.arrays(np.float64, shape, elements=QUARTERS))
    dtype = draw(float_dtypes())  # quarters are exact in float32 too; the result is float64 either way
    y_true, y_pred = y_true.astype(dtype), y_pred.astype(dtype)
    weight = draw(st.none() | hnp.arrays(np.float64, (n,), elements=SAMPLE_WEIGHTS))
    if weight is not None and weight.sum() == 0:
        weight[0] = 1.0
    modes = ["raw_values", "uniform_average"] + (["weights"] if k >= 2 else [])  # sklearn: weights need k >= 2
    mode = draw(st.sampled_from(modes))
    multioutput = draw(hnp.arrays(np.float64, (k,), elements=WEIGHTS)) if mode == "weights" else mode
    return dict(y_true=y_true, y_pred=y_pred, sample_weight=weight, multioutput=multioutput)


def check_metric(kata, name: str, case: dict) -> None:
    call = describe_call(name, case["y_true"], case["y_pred"], sample_weight=case["sample_weight"],
                         multioutput=case["multioutput"])
    with np.errstate(all="ignore"):
        got = call_unmodified(getattr(kata, name), **case)
    # sklearn keeps float32 inputs in float32; the kata computes in float64, so the reference does too.
    want = getattr(metrics, name)(**dict(case, y_true=case["y_true"].astype(np.float64),
                                         y_pred=case["y_pred"].astype(np.float64)))
    if isinstance(case["multioutput"], str) and case["multioutput"] == "raw_values":
        assert_shape(got, want.shape, name="per-output values", call=call)
        assert_dtype(got, np.float64, name="per-output values", call=call)
    else:
        assert np.ndim(got) == 0, f"{call} returned {got!r}; expected a single float (the outputs averaged)"
    assert_close(got, want, rtol=RTOL, atol=ATOL, name=name, call=call)


CONSTANT_COLUMN = dict(y_true=np.array([[1.0, 2.0], [1.0, 3.0], [1.0, 5.0]]),
                       y_pred=np.array([[1.5, 2.0], [1.0, 3.5], [1.0, 4.0]]), sample_weight=None,
                       multioutput="raw_values")
WEIGHTED = dict(y_true=np.array([0.0, 1.0, 4.0, 2.0]), y_pred=np.array([1.0, 1.0, 3.0, 0.0]),
                sample_weight=np.array([4.0, 1.0, 0.25, 2.0]), multioutput="uniform_average")


@given(case=regression_case())
@example(case=CONSTANT_COLUMN)
@example(case=WEIGHTED)
def test_mean_squared_error_matches_sklearn(kata, case):
    check_metric(kata, "mean_squared_error", case)


@given(case=regression_case())
@example(case=WEIGHTED)
@example(case=dict(y_true=np.array([1.0, -1.0]), y_pred=np.array([0.0, 0.0]), sample_weight=None,
                   multioutput="uniform_average"))  # errors +1 and -1: MAE 1, not 0
def test_mean_absolute_error_matches_sklearn(kata, case):
    check_metric(kata, "mean_absolute_error", case)


@given(case=regression_case(), variance_weighted=st.booleans())
@example(case=CONSTANT_COLUMN, variance_weighted=False)  # constant output, imperfect: 0.0, not -inf
@example(case=dict(CONSTANT_COLUMN, y_pred=np.array([[1.0, 2.5], [1.0, 3.0], [1.0, 5.0]])),
         variance_weighted=False)  # constant output, perfect: 1.0, not NaN
@example(case=WEIGHTED, variance_weighted=False)
@example(case=dict(CONSTANT_COLUMN, multioutput="uniform_average"), variance_weighted=True)
@example(case=dict(y_true=np.array([[1.0, 2.0], [1.0, 2.0], [1.0, 2.0]]),
                   y_pred=np.array([[1.0, 2.5], [1.0, 2.0], [1.0, 2.0]]), sample_weight=None,
                   multioutput="uniform_average"),
         variance_weighted=True)  # every SS_tot is 0: scores 1 and 0 averaged uniformly, 0.5
@example(case=dict(y_true=np.array([0.0, 1.0, 0.0, 1.0]), y_pred=np.array([0.0, 1.0, 0.0, 0.5]), sample_weight=None,
                   multioutput="raw_values"), variance_weighted=False)  # SS_tot exactly 1: R² = 0.75
@example(case=dict(y_true=np.array([0.0, 1.0, 2.0]), y_pred=np.array([0.0, 1.0, 3.0]), sample_weight=None,
                   multioutput="raw_values"), variance_weighted=False)  # SS_res exactly 1: R² = 0.5
def test_r2_score_matches_sklearn(kata, case, variance_weighted):
    if variance_weighted:
        case = dict(case, multioutput="variance_weighted")
    check_metric(kata, "r2_score", case)


@given(seed=seeds(), n=st.integers(3, 30), d=st.integers(1, 3), noise=st.floats(0.1, 10.0))
def test_r2_properties(kata, seed, n, d, noise):
    """R²(y, y) = 1, R²(y, ȳ) = 0, and for a least-squares fit with intercept R² = corr(y, ŷ)²."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    y = X @ rng.normal(size=d) + noise * rng.normal(size=n)
    fitted = LinearRegression().fit(X, y).predict(X)
    call = describe_call("r2_score", y, fitted)
    assert_close(kata.r2_score(y, y), 1.0, rtol=0, atol=1e-12, name="r2_score(y, y)", call=call)
    assert_close(kata.r2_score(y, np.full(n, y.mean())), 0.0, rtol=0, atol=1e-12, name="r2_score(y, mean(y))",
                 call=call)
    corr = np.corrcoef(y, fitted)[0, 1]
    assert_close(kata.r2_score(y, fitted), corr**2, rtol=1e-9, atol=1e-12, name="R² of a least-squares fit",
                 call=call)
    worse = fitted + 2 * (fitted - y.mean()) + 0.5  # not a least-squares fit: R² < corr², may be negative
    assert_close(kata.r2_score(y, worse), metrics.r2_score(y, worse), rtol=1e-9, atol=1e-12,
                 name="R² of a poor prediction (not corr²)", call=describe_call("r2_score", y, worse))


@given(n=st.integers(2, 6), k=st.integers(1, 3))
def test_mismatched_shapes_raise(kata, n, k):
    y_true, y_pred = np.zeros((n, k)), np.zeros((n + 1, k))
    for name in ("mean_squared_error", "mean_absolute_error", "r2_score"):
        with pytest.raises(ValueError):
            getattr(kata, name)(y_true, y_pred)
