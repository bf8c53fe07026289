"""Plausible wrong SARIMAX pieces that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from sarimax import _lags, fit_regression_ar_errors


@pitfall(replaces="seasonal_difference", why="a seasonal difference taken at lag 1 instead of lag s")
def seasonal_at_lag_one(x: np.ndarray, d: int = 0, D: int = 1, s: int = 12) -> np.ndarray:
    if d < 0 or D < 0 or s < 1:
        raise ValueError("bad orders")
    out = np.asarray(x, dtype=np.float64).copy()
    for _ in range(D + d):
        out = out[1:] - out[:-1]
    return out


@pitfall(replaces="seasonal_difference", why="one seasonal difference x_t - x_{t-D*s} instead of D of them")
def one_long_difference(x: np.ndarray, d: int = 0, D: int = 1, s: int = 12) -> np.ndarray:
    if d < 0 or D < 0 or s < 1:
        raise ValueError("bad orders")
    out = np.asarray(x, dtype=np.float64).copy()
    if D:
        out = out[D * s :] - out[: -D * s]
    for _ in range(d):
        out = out[1:] - out[:-1]
    return out


@pitfall(replaces="seasonal_undifference", why="integrates the seasonal differences with lag 1")
def undifference_lag_one(forecast: np.ndarray, x: np.ndarray, d: int = 0, D: int = 1, s: int = 12) -> np.ndarray:
    out = np.asarray(forecast, dtype=np.float64)
    levels = [np.asarray(x, dtype=np.float64)]
    for _ in range(D + d):
        levels.append(levels[-1][1:] - levels[-1][:-1])
    for k in reversed(range(D + d)):
        out = levels[k][-1] + np.cumsum(out)
    return out


@pitfall(replaces="fit_regression_ar_errors", why="stops after one Cochrane-Orcutt pass instead of iterating to convergence")
def one_pass(y: np.ndarray, X: np.ndarray, p: int, tol: float = 1e-12, max_iter: int = 1000) -> tuple:
    return _solution_fit(y, X, p, tol, 1)


@pitfall(replaces="fit_regression_ar_errors", why="quasi-differences y but regresses on the untransformed X")
def untransformed_X(y: np.ndarray, X: np.ndarray, p: int, tol: float = 1e-12, max_iter: int = 1000) -> tuple:
    y = np.asarray(y, dtype=np.float64)
    X = np.asarray(X, dtype=np.float64)
    beta = np.linalg.lstsq(X, y, rcond=None)[0]
    phi = np.zeros(p)
    if p == 0:
        return beta, phi
    for _ in range(200):
        u = y - X @ beta
        phi = np.linalg.lstsq(np.column_stack(_lags(u, p)), u[p:], rcond=None)[0]
        y_star = y[p:] - sum(ph * lag for ph, lag in zip(phi, _lags(y, p), strict=True))
        beta = np.linalg.lstsq(X[p:], y_star, rcond=None)[0]
    return beta, phi


@pitfall(replaces="forecast_regression_ar_errors", why="forecasts X_future @ beta only: the predictable AR error is dropped")
def regression_part_only(y: np.ndarray, X: np.ndarray, beta: np.ndarray, phi: np.ndarray,
                         X_future: np.ndarray) -> np.ndarray:
    return np.asarray(X_future, dtype=np.float64) @ beta


_solution_fit = fit_regression_ar_errors
