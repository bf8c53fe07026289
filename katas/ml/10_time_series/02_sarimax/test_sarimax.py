"""Tests for ml-10-2, seasonal differencing and regression with AR errors (SARIMAX building blocks).

References (statsmodels 0.15): statespace.tools.diff(k_diff, k_seasonal_diff, seasonal_periods) for
seasonal differencing; OLS for p = 0; at your estimates, the two conditions that define conditional
least squares (the AR coefficients are AutoReg's fit to your regression residuals, and beta is OLS
on the quasi-differenced data); SARIMAX(...).smooth(params).forecast(exog=...) for forecasts, with
and without seasonal and regular differencing; and the round trip difference -> undifference.
"""
import warnings

import numpy as np
import pytest
import statsmodels.api as sm
from hypothesis import example, given, settings
from hypothesis import strategies as st
from statsmodels.tsa.ar_model import AutoReg
from statsmodels.tsa.statespace.sarimax import SARIMAX
from statsmodels.tsa.statespace.tools import diff
from threadpoolctl import threadpool_limits

from grader.strategies import seeds
from grader.testing import assert_close, assert_no_alias, call_unmodified, describe_call

# Conditional least squares solved to convergence agrees with its defining conditions to ~1e-10;
# a single Cochrane-Orcutt pass or an untransformed X misses them by 1e-3 or more.
FIXED_POINT_TOL = 1e-6
# Forecasts are float64 linear recursions on values up to ~1e3 (integrated series).
RTOL, ATOL = 1e-8, 1e-8


def regression_data(seed: int, n: int, k: int, p: int, d: int = 0, D: int = 0, s: int = 4, h: int = 0):
    """y = X beta + u with u an AR(p) integrated d times and seasonally D times; X random walks."""
    rng = np.random.default_rng(seed)
    total = n + h
    X = rng.normal(size=(total, k)).cumsum(axis=0) * 0.5 + rng.normal(size=(total, k))
    phi = rng.uniform(-0.7, 0.7, size=p) / max(p, 1)
    e = rng.normal(size=total + 50)
    u = np.zeros(total + 50)
    for t in range(p, total + 50):
        u[t] = phi @ u[t - p : t][::-1] + e[t]
    u = u[50:]
    for _ in range(D):
        for t in range(s, total):
            u[t] += u[t - s]
    for _ in range(d):
        u = np.cumsum(u)
    y = X @ rng.uniform(-2, 2, size=k) + u
    return y[:n], X[:n], X[n:]


@given(seed=seeds(), n=st.integers(1, 30), d=st.integers(0, 2), D=st.integers(0, 2), s=st.integers(1, 7),
       two_d=st.booleans())
@example(seed=0, n=5, d=1, D=1, s=4, two_d=False)
@example(seed=1, n=3, d=0, D=2, s=3, two_d=True)
@example(seed=1, n=3, d=0, D=0, s=3, two_d=False)
def test_seasonal_difference_matches_statsmodels(kata, seed, n, d, D, s, two_d):
    """(1 - B)^d (1 - B^s)^D x, along axis 0 (columns of a 2-D array are differenced separately)."""
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n + d + D * s, 3) if two_d else n + d + D * s).cumsum(axis=0)
    call = describe_call("seasonal_difference", x, d=d, D=D, s=s)
    want = diff(x, k_diff=d, k_seasonal_diff=D, seasonal_periods=s) if (d or D) else x
    got = call_unmodified(kata.seasonal_difference, x, d, D, s)
    assert_close(got, want, rtol=0, atol=1e-10, call=call)
    assert_no_alias(got, x, name="seasonal difference (a new array, a copy for d = D = 0)", call=call)


@given(seed=seeds(), n=st.integers(1, 20), d=st.integers(0, 2), D=st.integers(0, 2), s=st.integers(1, 7),
       h=st.integers(1, 15))
@example(seed=2, n=2, d=1, D=1, s=4, h=9)  # horizon longer than the season
def test_seasonal_undifference_inverts_seasonal_difference(kata, seed, n, d, D, s, h):
    full = np.random.default_rng(seed).normal(size=n + d + D * s + h).cumsum()
    history, future = full[:-h], full[-h:]
    dfuture = diff(full, k_diff=d, k_seasonal_diff=D, seasonal_periods=s)[-h:] if (d or D) else future
    call = describe_call("seasonal_undifference", dfuture, history, d=d, D=D, s=s)
    assert_close(kata.seasonal_undifference(dfuture, history, d, D, s), future, rtol=1e-10, atol=1e-10, call=call)


@settings(max_examples=15)  # each example fits statsmodels models
@given(seed=seeds(), n=st.integers(10, 80), k=st.integers(1, 3))
def test_no_ar_terms_is_ols(kata, seed, n, k):
    y, X, _ = regression_data(seed, n, k, 0)
    call = describe_call("fit_regression_ar_errors", y, X, 0)
    with threadpool_limits(1):
        beta, phi = call_unmodified(kata.fit_regression_ar_errors, y, X, 0)
        want = sm.OLS(y, X).fit().params
    assert_close(beta, want, rtol=1e-9, atol=1e-9, name="beta (p = 0: ordinary least squares)", call=call)
    assert len(np.atleast_1d(phi)) == 0, f"{call}: phi should be empty for p = 0, got {phi}"


@settings(max_examples=15)  # each example fits statsmodels models
@given(seed=seeds(), n=st.integers(30, 120), k=st.integers(1, 3), p=st.integers(1, 3))
@example(seed=3, n=60, k=2, p=1)
@example(seed=4, n=30, k=3, p=3)
def test_estimates_satisfy_the_conditional_least_squares_conditions(kata, seed, n, k, p):
    """At the minimum of sum_t (y*_t - X*_t beta)^2, with y*_t = y_t - sum_j phi_j y_{t-j} (same for X):
    phi is the least-squares AR(p) fit to the residuals u = y - X beta, and beta is OLS of y* on X*."""
    y, X, _ = regression_data(seed, n, k, p)
    call = describe_call("fit_regression_ar_errors", y, X, p)
    with threadpool_limits(1):
        beta, phi = call_unmodified(kata.fit_regression_ar_errors, y, X, p)
        beta, phi = np.asarray(beta, dtype=np.float64), np.asarray(phi, dtype=np.float64)
        assert phi.shape == (p,) and beta.shape == (k,), f"{call}: shapes beta {beta.shape}, phi {phi.shape}"
        u = y - X @ beta
        phi_ref = AutoReg(u, lags=p, trend="n").fit().params
        y_star = y[p:] - sum(phi[j] * y[p - j - 1 : n - j - 1] for j in range(p))
        X_star = X[p:] - sum(phi[j] * X[p - j - 1 : n - j - 1] for j in range(p))
        beta_ref = sm.OLS(y_star, X_star).fit().params
    assert_close(phi, phi_ref, rtol=FIXED_POINT_TOL, atol=FIXED_POINT_TOL,
                 name="phi (should equal AutoReg(y - X @ beta, lags=p, trend='n') at convergence)", call=call)
    assert_close(beta, beta_ref, rtol=FIXED_POINT_TOL, atol=FIXED_POINT_TOL,
                 name="beta (should equal OLS of the quasi-differenced y on the quasi-differenced X)", call=call)


def cochrane_orcutt(y: np.ndarray, X: np.ndarray, p: int, tol: float, max_iter: int) -> tuple[np.ndarray, np.ndarray]:
    """The iteration as the docstring states it, with statsmodels' OLS and AutoReg doing each fit."""
    n = len(y)
    beta = sm.OLS(y, X).fit().params
    for _ in range(max_iter):
        phi = AutoReg(y - X @ beta, lags=p, trend="n").fit().params
        y_star = y[p:] - sum(phi[j] * y[p - j - 1 : n - j - 1] for j in range(p))
        X_star = X[p:] - sum(phi[j] * X[p - j - 1 : n - j - 1] for j in range(p))
        new = sm.OLS(y_star, X_star).fit().params
        small = np.max(np.abs(new - beta)) <= tol * (1 + np.max(np.abs(beta)))
        beta = new
        if small:
            break
    return beta, AutoReg(y - X @ beta, lags=p, trend="n").fit().params


@settings(max_examples=10)  # each example fits a few statsmodels models
@given(seed=seeds(), n=st.integers(30, 80), k=st.integers(1, 3), p=st.integers(1, 2),
       tol=st.sampled_from([1e-2, 1e-4, 1e-6]), max_iter=st.sampled_from([1, 2, 3, 1000]))
@example(seed=3, n=60, k=2, p=1, tol=1e-12, max_iter=1)  # exactly one iteration
@example(seed=8, n=40, k=2, p=2, tol=1e-2, max_iter=1000)  # stops on the change rule, far from convergence
@example(seed=9, n=50, k=1, p=1, tol=1e-4, max_iter=1000)
def test_tol_and_max_iter_stop_the_iteration(kata, seed, n, k, p, tol, max_iter):
    """Stopping early (few iterations, or a loose tol) leaves beta short of the fixed point: the
    iterations run and the stopping rule must be the docstring's."""
    y, X, _ = regression_data(seed, n, k, p)
    X = X + 3.0 * np.linspace(-1, 1, n)[:, None] ** 2  # a shared trend: beta moves over several iterations
    call = describe_call("fit_regression_ar_errors", y, X, p, tol=tol, max_iter=max_iter)
    with threadpool_limits(1):
        beta, phi = call_unmodified(kata.fit_regression_ar_errors, y, X, p, tol, max_iter)
        want_beta, want_phi = cochrane_orcutt(y, X, p, tol, max_iter)
    # The same few least-squares fits in float64: ~1e-12 apart.
    assert_close(beta, want_beta, rtol=1e-8, atol=1e-9, name=f"beta after the iterations (tol={tol:g}, "
                 f"max_iter={max_iter})", call=call)
    assert_close(phi, want_phi, rtol=1e-8, atol=1e-9, name="phi (fitted to the final residuals)", call=call)


@settings(max_examples=10)  # each example builds a statsmodels state-space model
@given(seed=seeds(), n=st.integers(20, 80), k=st.integers(1, 3), p=st.integers(0, 3), h=st.integers(1, 10))
@example(seed=5, n=40, k=2, p=2, h=6)
def test_forecasts_match_sarimax(kata, seed, n, k, p, h):
    """y_hat = X_future beta + the AR(p) forecast of the regression errors u = y - X beta."""
    y, X, X_future = regression_data(seed, n, k, p, h=h)
    rng = np.random.default_rng(seed + 1)
    beta, phi = rng.uniform(-2, 2, size=k), rng.uniform(-0.6, 0.6, size=p) / max(p, 1)
    call = describe_call("forecast_regression_ar_errors", y, X, beta, phi, X_future)
    with threadpool_limits(1), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = call_unmodified(kata.forecast_regression_ar_errors, y, X, beta, phi, X_future)
        want = SARIMAX(y, exog=X, order=(p, 0, 0), trend="n").smooth(np.r_[beta, phi, 1.0]).forecast(h, exog=X_future)
    assert_close(got, want, rtol=RTOL, atol=ATOL, call=call)


@settings(max_examples=10)  # each example builds a statsmodels state-space model
@given(seed=seeds(), n=st.integers(30, 80), k=st.integers(1, 2), p=st.integers(0, 2), d=st.integers(0, 1),
       D=st.integers(0, 1), s=st.sampled_from([4, 7, 12]), h=st.integers(1, 14))
@example(seed=6, n=48, k=2, p=1, d=1, D=1, s=12, h=14)
@example(seed=7, n=40, k=1, p=2, d=0, D=1, s=4, h=5)
def test_sarimax_forecast_matches_statsmodels(kata, seed, n, k, p, d, D, s, h):
    """Difference y AND the regressors, fit, forecast, integrate back: statsmodels' SARIMAX with the
    same (beta, phi) plugged in must give the same forecasts."""
    y, X, X_future = regression_data(seed, n, k, p, d, D, s, h)
    call = describe_call("sarimax_forecast", y, X, X_future, p, d=d, D=D, s=s)
    with threadpool_limits(1), warnings.catch_warnings():
        warnings.simplefilter("ignore")
        got = call_unmodified(kata.sarimax_forecast, y, X, X_future, p, d, D, s)
        dy = diff(y, k_diff=d, k_seasonal_diff=D, seasonal_periods=s) if (d or D) else y
        dX = diff(X, k_diff=d, k_seasonal_diff=D, seasonal_periods=s) if (d or D) else X
        beta, phi = kata.fit_regression_ar_errors(dy, dX, p)
        model = SARIMAX(y, exog=X, order=(p, d, 0), seasonal_order=(0, D, 0, s) if D else (0, 0, 0, 0), trend="n")
        want = model.smooth(np.r_[beta, np.atleast_1d(phi), 1.0]).forecast(h, exog=X_future)
    assert_close(got, want, rtol=RTOL, atol=ATOL, name=f"SARIMAX({p},{d},0)(0,{D},0,{s}) forecasts", call=call)


@given(s=st.integers(-2, 0), D=st.integers(0, 1))
def test_rejects_bad_orders(kata, s, D):
    """s < 1, d < 0 or D < 0 raise ValueError (whatever the other orders are)."""
    for d_, D_, s_ in [(0, D, s), (-1, 1, 4), (-1, 0, 4), (0, -1, 4), (1, -1, 4)]:
        with pytest.raises(ValueError):
            kata.seasonal_difference(np.arange(20.0), d_, D_, s_)
            raise AssertionError(f"seasonal_difference(x, d={d_}, D={D_}, s={s_}) returned instead of raising")
