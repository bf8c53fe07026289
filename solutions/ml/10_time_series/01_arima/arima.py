"""Reference solution for ml-10-1."""
from __future__ import annotations

import numpy as np


def difference(x: np.ndarray, d: int = 1) -> np.ndarray:
    if d < 0:
        raise ValueError(f"d must be >= 0, got {d}")
    out = np.asarray(x, dtype=np.float64).copy()
    for _ in range(d):
        out = out[1:] - out[:-1]
    return out


def lag_matrix(x: np.ndarray, p: int) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    n = len(x)
    return np.column_stack([x[p - j : n - j] for j in range(1, p + 1)]) if p else np.empty((n, 0))


def fit_ar(x: np.ndarray, p: int, trend: str = "c") -> np.ndarray:
    """AR(p) coefficients by conditional least squares ([c, phi_1..phi_p] or [phi_1..phi_p]).

    Raises:
        ValueError: if there are fewer equations (n - p) than coefficients (as many is fine: the
            fit is then exact), or no coefficient at all (p = 0 with trend "n").
    """
    x = np.asarray(x, dtype=np.float64)
    k = p + (trend == "c")
    if len(x) - p < k or k == 0:
        raise ValueError(f"need more than {p + k} observations for AR({p}) with trend={trend!r}, got {len(x)}")
    design = lag_matrix(x, p)
    if trend == "c":
        design = np.column_stack([np.ones(len(design)), design])
    params, *_ = np.linalg.lstsq(design, x[p:], rcond=None)
    return params


def forecast_ar(x: np.ndarray, params: np.ndarray, p: int, steps: int, trend: str = "c") -> np.ndarray:
    params = np.asarray(params, dtype=np.float64)
    c, phi = (params[0], params[1:]) if trend == "c" else (0.0, params)
    hist = list(np.asarray(x, dtype=np.float64)[-p:]) if p else []
    out = np.empty(steps)
    for h in range(steps):
        out[h] = c + sum(phi[j] * hist[-1 - j] for j in range(p))
        hist.append(out[h])
    return out


def undifference(forecast_d: np.ndarray, x: np.ndarray, d: int) -> np.ndarray:
    """Forecasts of the d-th difference of x integrated back onto the history x.

    Shapes:
        forecast_d: (h,), x: (n,) with n > d;  returns: (h,) float64, a new array (also for
            d = 0, where the values are forecast_d's own)
    """
    x = np.asarray(x, dtype=np.float64)
    out = np.asarray(forecast_d, dtype=np.float64).copy()
    for k in reversed(range(d)):  # the last value of the k-times differenced history anchors each cumsum
        out = difference(x, k)[-1] + np.cumsum(out)
    return out


def arima_forecast(x: np.ndarray, p: int, d: int, steps: int, trend: str = "n") -> np.ndarray:
    z = difference(x, d)
    params = fit_ar(z, p, trend)
    return undifference(forecast_ar(z, params, p, steps, trend), x, d)
