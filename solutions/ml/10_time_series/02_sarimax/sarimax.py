"""Reference solution for ml-10-2."""
from __future__ import annotations

import numpy as np


def seasonal_difference(x: np.ndarray, d: int = 0, D: int = 1, s: int = 12) -> np.ndarray:
    """(1 - B)^d (1 - B^s)^D x along axis 0, always a new float64 array (a copy when d = D = 0)."""
    if d < 0 or D < 0 or s < 1:
        raise ValueError(f"need d >= 0, D >= 0, s >= 1; got {d=}, {D=}, {s=}")
    out = np.asarray(x, dtype=np.float64).copy()
    for _ in range(D):
        out = out[s:] - out[:-s]
    for _ in range(d):
        out = out[1:] - out[:-1]
    return out


def seasonal_undifference(forecast: np.ndarray, x: np.ndarray, d: int = 0, D: int = 1, s: int = 12) -> np.ndarray:
    lags = [s] * D + [1] * d
    levels = [np.asarray(x, dtype=np.float64)]
    for lag in lags:
        w = levels[-1]
        levels.append(w[lag:] - w[:-lag])
    out = np.asarray(forecast, dtype=np.float64)
    for k in reversed(range(len(lags))):
        hist = list(levels[k])
        for v in out:
            hist.append(v + hist[-lags[k]])
        out = np.array(hist[len(levels[k]) :])
    return out


def _lags(z: np.ndarray, p: int) -> list[np.ndarray]:
    n = len(z)
    return [z[p - j : n - j] for j in range(1, p + 1)]


def fit_regression_ar_errors(y: np.ndarray, X: np.ndarray, p: int, tol: float = 1e-12,
                             max_iter: int = 1000) -> tuple[np.ndarray, np.ndarray]:
    """Cochrane-Orcutt, at most max_iter iterations from OLS beta, stopping after the first whose change
    max_i |beta_new_i - beta_i| <= tol * (1 + max_i |beta_i|); phi is refitted to the final residuals."""
    y = np.asarray(y, dtype=np.float64)
    X = np.asarray(X, dtype=np.float64)
    beta = np.linalg.lstsq(X, y, rcond=None)[0]
    phi = np.zeros(p)
    if p == 0:
        return beta, phi
    for _ in range(max_iter):
        u = y - X @ beta
        phi = np.linalg.lstsq(np.column_stack(_lags(u, p)), u[p:], rcond=None)[0]
        y_star = y[p:] - sum(ph * lag for ph, lag in zip(phi, _lags(y, p), strict=True))
        X_star = X[p:] - sum(ph * lag for ph, lag in zip(phi, _lags(X, p), strict=True))
        new_beta = np.linalg.lstsq(X_star, y_star, rcond=None)[0]
        done = np.max(np.abs(new_beta - beta)) <= tol * (1 + np.max(np.abs(beta)))
        beta = new_beta
        if done:
            break
    u = y - X @ beta
    phi = np.linalg.lstsq(np.column_stack(_lags(u, p)), u[p:], rcond=None)[0]
    return beta, phi


def forecast_regression_ar_errors(y: np.ndarray, X: np.ndarray, beta: np.ndarray, phi: np.ndarray,
                                  X_future: np.ndarray) -> np.ndarray:
    u = list(np.asarray(y, dtype=np.float64) - np.asarray(X, dtype=np.float64) @ beta)
    X_future = np.asarray(X_future, dtype=np.float64)
    out = np.empty(len(X_future))
    for h in range(len(X_future)):
        u_next = sum(phi[j] * u[-1 - j] for j in range(len(phi)))
        u.append(u_next)
        out[h] = X_future[h] @ beta + u_next
    return out


def sarimax_forecast(y: np.ndarray, X: np.ndarray, X_future: np.ndarray, p: int, d: int = 0, D: int = 1,
                     s: int = 12) -> np.ndarray:
    y = np.asarray(y, dtype=np.float64)
    X_all = np.vstack([np.asarray(X, dtype=np.float64), np.asarray(X_future, dtype=np.float64)])
    h = len(X_future)
    dy = seasonal_difference(y, d, D, s)
    dX_all = seasonal_difference(X_all, d, D, s)
    dX, dX_future = dX_all[:-h], dX_all[-h:]
    beta, phi = fit_regression_ar_errors(dy, dX, p)
    return seasonal_undifference(forecast_regression_ar_errors(dy, dX, beta, phi, dX_future), y, d, D, s)
