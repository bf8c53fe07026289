"""Plausible wrong ARIMA pieces that the tests must reject."""
from __future__ import annotations

import numpy as np

from grader.pitfalls import pitfall


@pitfall(replaces="difference", why="second difference taken as the lag-2 difference x[t] - x[t-2]")
def lag_d_difference(x: np.ndarray, d: int = 1) -> np.ndarray:
    if d < 0:
        raise ValueError("bad d")
    x = np.asarray(x, dtype=np.float64)
    return x[d:] - x[:-d] if d else x.copy()


@pitfall(replaces="lag_matrix", why="lag columns in reverse order (lag p first)")
def reversed_lags(x: np.ndarray, p: int) -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    n = len(x)
    return np.column_stack([x[p - j : n - j] for j in range(p, 0, -1)])


@pitfall(replaces="fit_ar", why="regresses on np.roll lags over all n rows: the first p rows wrap around")
def wrapped_lags(x: np.ndarray, p: int, trend: str = "c") -> np.ndarray:
    x = np.asarray(x, dtype=np.float64)
    k = p + (trend == "c")
    if len(x) - p < k or k == 0:
        raise ValueError("too short")
    design = np.column_stack([np.roll(x, j) for j in range(1, p + 1)])
    if trend == "c":
        design = np.column_stack([np.ones(len(x)), design])
    return np.linalg.lstsq(design, x, rcond=None)[0]


@pitfall(replaces="forecast_ar", why="every horizon uses the last observed values: forecasts are not fed back")
def not_recursive(x: np.ndarray, params: np.ndarray, p: int, steps: int, trend: str = "c") -> np.ndarray:
    params = np.asarray(params, dtype=np.float64)
    c, phi = (params[0], params[1:]) if trend == "c" else (0.0, params)
    last = np.asarray(x, dtype=np.float64)[::-1][:p]
    return np.full(steps, c + phi @ last)


@pitfall(replaces="undifference", why="adds the cumulative sum to the last level only, whatever d is")
def integrate_once(forecast_d: np.ndarray, x: np.ndarray, d: int) -> np.ndarray:
    out = np.asarray(forecast_d, dtype=np.float64)
    return np.asarray(x, dtype=np.float64)[-1] + np.cumsum(out) if d else out.copy()


@pitfall(replaces="difference", why="d = 0 returns x itself (no copy, and no float64 cast)")
def difference_zero_returns_x(x: np.ndarray, d: int = 1) -> np.ndarray:
    if d < 0:
        raise ValueError(f"d must be >= 0, got {d}")
    out = x
    for _ in range(d):
        out = np.asarray(out[1:] - out[:-1], dtype=np.float64)
    return out


@pitfall(replaces="difference", why="no check on d: a negative d returns x unchanged instead of raising")
def difference_accepts_negative_d(x: np.ndarray, d: int = 1) -> np.ndarray:
    out = np.asarray(x, dtype=np.float64).copy()
    for _ in range(d):
        out = out[1:] - out[:-1]
    return out
