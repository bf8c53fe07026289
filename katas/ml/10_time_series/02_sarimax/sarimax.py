"""ml-10-2: seasonal differencing and regression with AR errors. Edit this file; `grader check ml-10-2` tests it.

Every array argument is a float64 NumPy array.
"""
from __future__ import annotations

import numpy as np


def seasonal_difference(x: np.ndarray, d: int = 0, D: int = 1, s: int = 12) -> np.ndarray:
    """(1 - B)^d (1 - B^s)^D x along axis 0: D seasonal differences x_t - x_{t-s}, and d ordinary ones.

    Shapes:
        x: (n,) or (n, k);  returns: (n - d - D*s,) or (n - d - D*s, k) float64, a new array (a
            copy of x when d = D = 0)

    Raises:
        ValueError: if d < 0, D < 0 or s < 1.
    """
    raise NotImplementedError("seasonal_difference")


def seasonal_undifference(forecast: np.ndarray, x: np.ndarray, d: int = 0, D: int = 1, s: int = 12) -> np.ndarray:
    """Turn forecasts of (1 - B)^d (1 - B^s)^D x into forecasts of x, given the history x (1-D).

    Shapes:
        forecast: (h,), x: (n,);  returns: (h,) float64
    """
    raise NotImplementedError("seasonal_undifference")


def fit_regression_ar_errors(y: np.ndarray, X: np.ndarray, p: int, tol: float = 1e-12,
                             max_iter: int = 1000) -> tuple[np.ndarray, np.ndarray]:
    """Regression with AR(p) errors, y_t = X_t beta + u_t, u_t = sum_j phi_j u_{t-j} + e_t, by
    conditional least squares: minimise sum_{t >= p} (y*_t - X*_t beta)^2 with the quasi-differences
    y*_t = y_t - sum_j phi_j y_{t-j} and X*_t = X_t - sum_j phi_j X_{t-j}.

    Iterate (Cochrane-Orcutt) at most max_iter times, starting from OLS beta:
    phi <- least-squares AR(p) fit (no intercept) to u = y - X beta; beta_new <- OLS of y* on X*;
    stop after the first iteration whose change is small, max_i |beta_new_i - beta_i| <=
    tol * (1 + max_i |beta_i|) (beta the previous estimate). Then return beta and the phi fitted to
    the residuals of that final beta. For p = 0 it is plain OLS and phi is empty.

    Shapes:
        y: (n,), X: (n, k);  returns: beta (k,), phi (p,) float64
    """
    raise NotImplementedError("fit_regression_ar_errors")


def forecast_regression_ar_errors(y: np.ndarray, X: np.ndarray, beta: np.ndarray, phi: np.ndarray,
                                  X_future: np.ndarray) -> np.ndarray:
    """y_hat_{n+h} = X_future[h] beta + u_hat_{n+h}, where u_hat continues the AR(p) recursion from the
    observed errors u = y - X beta (feeding back earlier forecasts).

    Shapes:
        X_future: (h, k);  returns: (h,) float64
    """
    raise NotImplementedError("forecast_regression_ar_errors")


def sarimax_forecast(y: np.ndarray, X: np.ndarray, X_future: np.ndarray, p: int, d: int = 0, D: int = 1,
                     s: int = 12) -> np.ndarray:
    """SARIMAX(p, d, 0)(0, D, 0, s) with regressors: seasonally and regularly difference y and the
    regressors (the future rows too, using the past ones), fit the regression with AR(p) errors on the
    differenced data, forecast it, and undifference the forecasts back to the level of y.

    Shapes:
        y: (n,), X: (n, k), X_future: (h, k);  returns: (h,) float64
    """
    raise NotImplementedError("sarimax_forecast")
