"""Tests for ml-10-3, Holt-Winters triple exponential smoothing.

References (statsmodels 0.15): ExponentialSmoothing(..., initialization_method="known").fit(
optimized=False) with the same smoothing parameters and initial states, for fitted values, the
level/trend/season paths and forecasts; ETSModel (the error-correction form of the same recursions,
with smoothing_trend = alpha * beta) for additive-season forecasts at every horizon; and the closed form of a model
that never updates (alpha = beta = gamma = 0).

Known upstream bug: ExponentialSmoothing.forecast uses the seasonal factor of one season too early at
horizons that are multiples of the period (statsmodels issue #9538, fixed after 0.15). Those horizons
are compared with ETSModel (additive) and with Hyndman's formula on statsmodels' final states instead.
"""
import warnings

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from statsmodels.tsa.exponential_smoothing.ets import ETSModel
from statsmodels.tsa.holtwinters import ExponentialSmoothing

from grader.strategies import seeds
from grader.testing import assert_close, call_unmodified, describe_call

# float64 recursions over <= 60 steps of values ~20: agreement ~1e-13.
RTOL, ATOL = 1e-9, 1e-9
ALPHAS = st.sampled_from([0.1, 0.3, 0.5, 0.9])
BETAS = st.sampled_from([0.0, 0.05, 0.2, 0.5])
GAMMAS = st.sampled_from([0.0, 0.1, 0.3, 0.6])
PHIS = st.sampled_from([0.8, 0.9, 0.98])


@st.composite
def problems(draw: st.DrawFn) -> dict:
    m = draw(st.sampled_from([2, 3, 4, 7, 12]))
    n = draw(st.integers(m + 1, 5 * m))
    seasonal = draw(st.sampled_from(["add", "mul"]))
    rng = np.random.default_rng(draw(seeds()))
    t = np.arange(n)
    pattern = rng.normal(size=m)
    if seasonal == "add":
        y = 20 + 0.2 * t + 2 * pattern[t % m] + 0.5 * rng.normal(size=n)
        s0 = pattern + 0.3 * rng.normal(size=m)
    else:
        y = (20 + 0.2 * t) * (1 + 0.1 * pattern[t % m]) + 0.3 * rng.normal(size=n)
        s0 = 1 + 0.1 * pattern + 0.02 * rng.normal(size=m)
    damped = draw(st.booleans())
    return dict(y=y, m=m, seasonal=seasonal, damped=damped, alpha=draw(ALPHAS), beta=draw(BETAS),
                gamma=draw(GAMMAS), phi=draw(PHIS) if damped else 1.0, l0=20 + rng.normal(),
                b0=0.2 + 0.1 * rng.normal(), s0=s0)


def fit_kata(kata, p):
    call = describe_call(f"HoltWinters({p['m']}, seasonal={p['seasonal']!r}, damped={p['damped']}).fit", p["y"],
                         alpha=p["alpha"], beta=p["beta"], gamma=p["gamma"], initial_level=p["l0"],
                         initial_trend=p["b0"], initial_seasonal=p["s0"], phi=p["phi"])
    model = kata.HoltWinters(p["m"], seasonal=p["seasonal"], damped=p["damped"])
    fitted = call_unmodified(model.fit, p["y"], p["alpha"], p["beta"], p["gamma"], p["l0"], p["b0"], p["s0"], phi=p["phi"])
    assert fitted is model, f"{call} should return self"
    return model, call


def statsmodels_hw(p):
    mod = ExponentialSmoothing(p["y"], trend="add", seasonal=p["seasonal"], seasonal_periods=p["m"],
                               damped_trend=p["damped"], initialization_method="known", initial_level=p["l0"],
                               initial_trend=p["b0"], initial_seasonal=p["s0"])
    kw = dict(smoothing_level=p["alpha"], smoothing_trend=p["beta"], smoothing_seasonal=p["gamma"], optimized=False)
    if p["damped"]:
        kw["damping_trend"] = p["phi"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return mod.fit(**kw)


def statsmodels_ets(p):
    mod = ETSModel(p["y"], error="add", trend="add", seasonal=p["seasonal"], damped_trend=p["damped"],
                   seasonal_periods=p["m"], initialization_method="known", initial_level=p["l0"],
                   initial_trend=p["b0"], initial_seasonal=p["s0"])
    params = [p["alpha"], p["alpha"] * p["beta"], p["gamma"]] + ([p["phi"]] if p["damped"] else [])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return mod.smooth(params)


@given(p=problems())
def test_fitted_values_and_states_match_exponential_smoothing(kata, p):
    """fitted[t] is the one-step forecast made at t-1; level_/trend_/season_ are the states after y[t]."""
    model, call = fit_kata(kata, p)
    ref = statsmodels_hw(p)
    assert_close(model.fittedvalues_, ref.fittedvalues, rtol=RTOL, atol=ATOL, name="fittedvalues_", call=call)
    assert_close(model.level_, ref.level, rtol=RTOL, atol=ATOL, name="level_", call=call)
    assert_close(model.trend_, ref.trend, rtol=RTOL, atol=ATOL, name="trend_", call=call)
    assert_close(model.season_, ref.season, rtol=RTOL, atol=ATOL,
                 name="season_ (s_t = gamma (y_t - l_{t-1} - phi b_{t-1}) + (1 - gamma) s_{t-m}, additive)", call=call)


@given(p=problems(), seasons=st.integers(1, 3))
def test_forecasts_match_statsmodels(kata, p, seasons):
    """y_hat[n+h] = l_n + (phi + ... + phi^h) b_n  (+ or *)  s_{n+h-m(k+1)}, k = (h-1) // m."""
    model, call = fit_kata(kata, p)
    m = p["m"]
    steps = seasons * m
    got = np.asarray(model.forecast(steps), dtype=np.float64)
    call = f"{call}.forecast({steps})"
    if p["seasonal"] == "add":  # statsmodels' ETS writes the multiplicative season differently
        assert_close(got, statsmodels_ets(p).forecast(steps), rtol=RTOL, atol=ATOL,
                     name="forecasts (vs ETSModel, the error-correction form)", call=call)
    hw = statsmodels_hw(p)
    h = np.arange(1, steps + 1)
    ok = h % m != 0  # statsmodels issue #9538: the other horizons reuse the season before last
    assert_close(got[ok], hw.forecast(steps)[ok], rtol=RTOL, atol=ATOL,
                 name="forecasts at horizons not divisible by m (vs ExponentialSmoothing)", call=call)
    damp = np.cumsum(p["phi"] ** h)
    season = hw.season[-m:][(h - 1) % m]
    trend = hw.level[-1] + damp * hw.trend[-1]
    want = trend * season if p["seasonal"] == "mul" else trend + season
    assert_close(got, want, rtol=RTOL, atol=ATOL, name="forecasts (Hyndman's formula on statsmodels' final states)",
                 call=call)


@given(seed=seeds(), m=st.sampled_from([2, 3, 4, 7]), n=st.integers(3, 30), steps=st.integers(1, 15))
@example(seed=0, m=4, n=4, steps=9)
def test_without_smoothing_the_initial_pattern_repeats(kata, seed, m, n, steps):
    """alpha = beta = gamma = 0 ignores the data: y_hat[t] = l0 + (t + 1) b0 + s0[t mod m], for the
    fitted values (t < n) and the forecasts (t >= n) alike."""
    rng = np.random.default_rng(seed)
    y = rng.normal(size=n) * 5
    l0, b0, s0 = rng.normal() * 10, rng.normal(), rng.normal(size=m)
    model = call_unmodified(kata.HoltWinters(m, seasonal="add").fit, y, 0.0, 0.0, 0.0, l0, b0, s0)
    t = np.arange(n + steps)
    want = l0 + (t + 1) * b0 + s0[t % m]
    call = describe_call(f"HoltWinters({m}).fit", y, alpha=0.0, beta=0.0, gamma=0.0, initial_level=l0,
                         initial_trend=b0, initial_seasonal=s0)
    assert_close(model.fittedvalues_, want[:n], rtol=1e-12, atol=1e-10,
                 name="fittedvalues_ (initial_seasonal[0] is the season of y[0])", call=call)
    assert_close(model.forecast(steps), want[n:], rtol=1e-12, atol=1e-10, name=f"forecast({steps})", call=call)


@given(m=st.sampled_from([3, 4]), wrong=st.sampled_from([-1, 1]))
def test_rejects_initial_seasonal_of_the_wrong_length(kata, m, wrong):
    with pytest.raises(ValueError):
        kata.HoltWinters(m).fit(np.arange(10.0), 0.5, 0.1, 0.1, 0.0, 1.0, np.zeros(m + wrong))
