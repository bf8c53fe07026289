"""ml-10-1: ARIMA(p, d, 0) by differencing and least squares. Edit this file; `grader check ml-10-1` tests it."""
from __future__ import annotations

import numpy as np


def difference(x: np.ndarray, d: int = 1) -> np.ndarray:
    """The d-th difference of x (d = 0: a float64 copy of x). Apply (1 - B) d times, B the backshift.

    Shapes:
        x: (n,);  returns: (n - d,) float64

    Raises:
        ValueError: if d < 0.
    """
    raise NotImplementedError("difference")


def lag_matrix(x: np.ndarray, p: int) -> np.ndarray:
    """Row r (for time t = p + r) holds [x[t-1], x[t-2], ..., x[t-p]]: the regressors of an AR(p).

    Shapes:
        x: (n,);  returns: (n - p, p) float64
    """
    raise NotImplementedError("lag_matrix")


def fit_ar(x: np.ndarray, p: int, trend: str = "c") -> np.ndarray:
    """AR(p) coefficients by conditional least squares: regress x[t] on its p lags for t = p .. n-1
    (plus an intercept column of ones first if trend == "c").

    Returns [c, phi_1, ..., phi_p] for trend "c", [phi_1, ..., phi_p] for trend "n".

    Raises:
        ValueError: if there are fewer equations (n - p) than coefficients (as many is fine: the
            fit is then exact), or no coefficient at all (p = 0 with trend "n").
    """
    raise NotImplementedError("fit_ar")


def forecast_ar(x: np.ndarray, params: np.ndarray, p: int, steps: int, trend: str = "c") -> np.ndarray:
    """Dynamic forecasts x_hat[n], ..., x_hat[n + steps - 1] of the AR(p) with these params (the
    layout fit_ar returns): x_hat[t] = c + sum_j phi_j * z[t - j], where z is x extended by the
    forecasts made so far.

    Shapes:
        returns: (steps,) float64
    """
    raise NotImplementedError("forecast_ar")


def undifference(forecast_d: np.ndarray, x: np.ndarray, d: int) -> np.ndarray:
    """Turn forecasts of the d-th difference of x into forecasts of x itself, given the history x.

    Shapes:
        forecast_d: (h,), x: (n,) with n > d;  returns: (h,) float64, a new array (also for
            d = 0, where the values are forecast_d's own)
    """
    raise NotImplementedError("undifference")


def arima_forecast(x: np.ndarray, p: int, d: int, steps: int, trend: str = "n") -> np.ndarray:
    """ARIMA(p, d, 0): difference d times, fit an AR(p) (with intercept if trend == "c") by
    least squares, forecast it `steps` ahead and integrate the forecasts back to the level of x.

    Shapes:
        returns: (steps,) float64
    """
    raise NotImplementedError("arima_forecast")
