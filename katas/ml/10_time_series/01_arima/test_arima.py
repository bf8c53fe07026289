"""Tests for ml-10-1, ARIMA(p, d, 0): differencing, AR fit by least squares, forecasting.

References (statsmodels 0.15): statespace.tools.diff and numpy.diff for differencing;
tsatools.lagmat for the lag matrix; AutoReg(...).fit() (conditional OLS) for the coefficients;
AutoReg.predict(params, start=n, ...) for dynamic AR forecasts; ARIMA(order=(p, d, 0)).smooth(params)
.forecast() for the integrated forecasts; and the round trip difference -> undifference.
"""
import math
import warnings

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from statsmodels.tsa.ar_model import AutoReg
from statsmodels.tsa.arima.model import ARIMA
from statsmodels.tsa.statespace.tools import diff
from statsmodels.tsa.tsatools import lagmat
from threadpoolctl import threadpool_limits

from grader.strategies import float_dtypes, seeds
from grader.testing import (
    assert_close,
    assert_dtype,
    assert_no_alias,
    assert_shape,
    call_unmodified,
    describe_call,
)

# Everything is float64 least squares on well-conditioned designs (stationary AR data) or exact
# integer-like cumulative sums: agreement is ~1e-12; 1e-8 relative leaves room for normal equations.
RTOL, ATOL = 1e-8, 1e-8
TRENDS = st.sampled_from(["n", "c"])


def ar_series(seed: int, n: int, p: int, d: int = 0, drift: float = 0.3) -> np.ndarray:
    """A stationary AR(p) series with an intercept, integrated d times."""
    rng = np.random.default_rng(seed)
    phi = rng.uniform(-0.6, 0.6, size=p) / max(p, 1)  # sum |phi| < 0.6: stationary
    burn = 100
    e = rng.normal(size=n + burn)
    u = np.zeros(n + burn)
    for t in range(p, n + burn):
        u[t] = drift + phi @ u[t - p : t][::-1] + e[t]
    x = u[burn:]
    for _ in range(d):
        x = np.cumsum(x)
    return x


@given(seed=seeds(), n=st.integers(1, 40), d=st.integers(0, 3), dtype=float_dtypes())
@example(seed=0, n=3, d=2, dtype=np.float64)
@example(seed=1, n=4, d=3, dtype=np.float64)
@example(seed=2, n=5, d=0, dtype=np.float64)  # d = 0: a float64 copy, never x itself
@example(seed=2, n=5, d=0, dtype=np.float32)
def test_difference_matches_numpy_and_statsmodels(kata, seed, n, d, dtype):
    x = np.random.default_rng(seed).normal(size=n + d).cumsum().astype(dtype)
    call = describe_call("difference", x, d=d)
    got = call_unmodified(kata.difference, x, d)
    assert_dtype(got, np.float64, name="d-th difference (float64 whatever x is)", call=call)
    assert_no_alias(got, x, name="d-th difference", call=call)
    x = x.astype(np.float64)
    assert_close(got, np.diff(x, n=d), rtol=0, atol=1e-12, name="d-th difference (numpy.diff(x, n=d))", call=call)
    if d:
        assert_close(got, diff(x, k_diff=d), rtol=0, atol=1e-12, name="statsmodels diff(x, k_diff=d)", call=call)
    with pytest.raises(ValueError):
        kata.difference(x, -1)
        raise AssertionError("difference(x, -1) returned: a negative d must raise ValueError")


@given(seed=seeds(), n=st.integers(2, 30), p=st.integers(0, 5))
@example(seed=0, n=4, p=0)  # no lags: an (n, 0) matrix
def test_lag_matrix_matches_statsmodels_lagmat(kata, seed, n, p):
    x = np.random.default_rng(seed).normal(size=n + p)
    call = describe_call("lag_matrix", x, p)
    got = call_unmodified(kata.lag_matrix, x, p)
    want = lagmat(x, maxlag=p, trim="both")
    assert_shape(got, want.shape, call=call)
    assert_close(got, want, rtol=0, atol=0, name="lag matrix (column j holds lag j+1)", call=call)


@settings(max_examples=15)  # each example fits statsmodels models
@given(seed=seeds(), n=st.integers(15, 120), p=st.integers(1, 4), trend=TRENDS)
@example(seed=2, n=15, p=4, trend="c")
@example(seed=3, n=60, p=1, trend="n")
def test_fit_ar_matches_autoreg(kata, seed, n, p, trend):
    x = ar_series(seed, n, p)
    call = describe_call("fit_ar", x, p, trend=trend)
    with threadpool_limits(1):
        got = call_unmodified(kata.fit_ar, x, p, trend)
        want = AutoReg(x, lags=p, trend=trend).fit().params
    assert_close(got, want, rtol=RTOL, atol=ATOL, name=f"AR coefficients {'[const, phi_1..phi_p]' if trend == 'c' else '[phi_1..phi_p]'}",
                 call=call)


@settings(max_examples=15)  # each example fits statsmodels models
@given(seed=seeds(), n=st.integers(15, 100), p=st.integers(1, 4), trend=TRENDS, steps=st.integers(1, 12))
@example(seed=4, n=30, p=2, trend="c", steps=6)
def test_forecast_ar_matches_autoreg_predict(kata, seed, n, p, trend, steps):
    """Dynamic forecasts: from step 2 on, earlier forecasts stand in for the unknown future values."""
    x = ar_series(seed, n, p)
    with threadpool_limits(1):
        model = AutoReg(x, lags=p, trend=trend)
        params = model.fit().params
        want = model.predict(params, start=n, end=n + steps - 1)
    call = describe_call("forecast_ar", x, params, p, steps, trend=trend)
    assert_close(kata.forecast_ar(x, params, p, steps, trend), want, rtol=RTOL, atol=ATOL, call=call)


@given(seed=seeds(), n=st.integers(1, 30), d=st.integers(0, 3), h=st.integers(1, 8))
@example(seed=5, n=3, d=2, h=4)
@example(seed=5, n=3, d=0, h=4)
def test_undifference_inverts_difference(kata, seed, n, d, h):
    """The d-th differences of the future, integrated back onto the history, give the future values."""
    full = np.random.default_rng(seed).normal(size=n + d + h).cumsum()
    history, future = full[: n + d], full[n + d :]
    dfuture = np.diff(full, n=d)[-h:]
    call = describe_call("undifference", dfuture, history, d)
    got = call_unmodified(kata.undifference, dfuture, history, d)
    assert_close(got, future, rtol=1e-10, atol=1e-10, call=call)
    assert_no_alias(got, dfuture, name="undifference (a new array, also for d = 0)", call=call)


def statsmodels_arima_forecast(x: np.ndarray, p: int, d: int, steps: int, trend: str) -> np.ndarray:
    """ARIMA(p, d, 0) state-space forecasts with the conditional-OLS AR coefficients plugged in.
    statsmodels writes the constant in mean form (a polynomial trend of degree d in the levels):
    its coefficient is c / (1 - sum phi) / d! for our intercept c."""
    params = AutoReg(np.diff(x, n=d), lags=p, trend=trend).fit().params
    if trend == "c":
        c, phi = params[0], params[1:]
        sm_trend = {0: "c", 1: "t", 2: [0, 0, 1]}[d]
        sm_params = np.r_[c / (1 - phi.sum()) / math.factorial(d), phi, 1.0]
    else:
        sm_trend, sm_params = "n", np.r_[params, 1.0]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return ARIMA(x, order=(p, d, 0), trend=sm_trend).smooth(sm_params).forecast(steps)


@settings(max_examples=15)  # each example fits statsmodels models
@given(seed=seeds(), n=st.integers(25, 100), p=st.integers(1, 3), d=st.integers(0, 2), trend=TRENDS,
       steps=st.integers(1, 10))
@example(seed=6, n=40, p=2, d=1, trend="n", steps=8)
@example(seed=7, n=40, p=1, d=2, trend="c", steps=5)
def test_arima_forecast_matches_statsmodels_arima(kata, seed, n, p, d, trend, steps):
    x = ar_series(seed, n, p, d)
    call = describe_call("arima_forecast", x, p, d, steps, trend=trend)
    with threadpool_limits(1):
        got = call_unmodified(kata.arima_forecast, x, p, d, steps, trend)
        want = statsmodels_arima_forecast(x, p, d, steps, trend)
    # the levels of a twice-integrated series reach ~1e4: relative tolerance.
    assert_close(got, want, rtol=RTOL, atol=ATOL, name=f"ARIMA({p}, {d}, 0) forecasts", call=call)


@given(p=st.integers(1, 4), trend=TRENDS)
def test_fit_ar_rejects_too_short_series(kata, p, trend):
    """AR(p) by OLS uses n - p equations for p (+1) unknowns: fewer equations cannot determine them."""
    n = p + p + (trend == "c") - 1
    x = np.random.default_rng(p).normal(size=n + 1)
    with pytest.raises(ValueError):
        kata.fit_ar(x[:n], p, trend)
        raise AssertionError(f"fit_ar(x of length {n}, p={p}, trend={trend!r}) returned: fewer equations than "
                             "coefficients must raise ValueError")
    # One more observation: exactly as many equations as coefficients, a square system solved exactly.
    call = describe_call("fit_ar", x, p, trend=trend)
    got = call_unmodified(kata.fit_ar, x, p, trend)
    design = lagmat(x, maxlag=p, trim="both")
    if trend == "c":
        design = np.column_stack([np.ones(len(design)), design])
    assert_close(got, np.linalg.solve(design, x[p:]), rtol=1e-8, atol=1e-8,
                 name="coefficients of the exactly determined fit", call=call)


@given(n=st.integers(1, 10))
def test_fit_ar_rejects_an_empty_model(kata, n):
    """p = 0 with trend "n" has no coefficient to fit."""
    with pytest.raises(ValueError):
        kata.fit_ar(np.arange(n, dtype=np.float64), 0, "n")
        raise AssertionError('fit_ar(x, 0, trend="n") returned: a model with no coefficient must raise ValueError')
