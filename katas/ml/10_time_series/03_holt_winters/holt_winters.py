"""ml-10-3: Holt-Winters triple exponential smoothing. Edit this file; `grader check ml-10-3` tests it."""
from __future__ import annotations

import numpy as np


class HoltWinters:
    """Holt-Winters with an additive (optionally damped) trend and an additive or multiplicative
    season of period m, in Hyndman's component form. With p_t = l_{t-1} + phi * b_{t-1}:

        additive:        y_hat_t = p_t + s_{t-m}
                         l_t = alpha (y_t - s_{t-m}) + (1 - alpha) p_t
                         s_t = gamma (y_t - p_t) + (1 - gamma) s_{t-m}
        multiplicative:  y_hat_t = p_t * s_{t-m}
                         l_t = alpha y_t / s_{t-m} + (1 - alpha) p_t
                         s_t = gamma y_t / p_t + (1 - gamma) s_{t-m}
        both:            b_t = beta (l_t - l_{t-1}) + (1 - beta) phi b_{t-1}

    phi = 1 unless damped. The initial states are given: l_{-1} = initial_level, b_{-1} =
    initial_trend, and initial_seasonal = [s_{-m}, ..., s_{-1}] (so initial_seasonal[0] is the
    season of y[0]). Forecasts: y_hat[n-1+h] = l + (phi + ... + phi^h) b  (+ or *)  s_{n-1+h-m(k+1)}
    with k = (h - 1) // m and l, b the last states l_{n-1}, b_{n-1}; forecast(steps)[h - 1] is y_hat[n-1+h].

    Fitted attributes (float64, shape (n,)): fittedvalues_ (the one-step forecasts y_hat_t),
    level_ (l_t), trend_ (b_t), season_ (s_t), each after observing y_t.
    """

    def __init__(self, seasonal_periods: int, seasonal: str = "add", damped: bool = False) -> None:
        if seasonal not in ("add", "mul"):
            raise ValueError(f"seasonal must be 'add' or 'mul', got {seasonal!r}")
        if seasonal_periods < 2:
            raise ValueError(f"seasonal_periods must be >= 2, got {seasonal_periods}")
        self.seasonal_periods = seasonal_periods
        self.seasonal = seasonal
        self.damped = damped

    def fit(self, y: np.ndarray, alpha: float, beta: float, gamma: float, initial_level: float,
            initial_trend: float, initial_seasonal: np.ndarray, phi: float = 1.0) -> HoltWinters:
        """Run the recursions over y (n,) float64 with fixed smoothing parameters, from the given
        initial states (initial_seasonal: (seasonal_periods,) float64); return self.

        Raises:
            ValueError: if initial_seasonal does not have shape (seasonal_periods,).
        """
        raise NotImplementedError("HoltWinters.fit: level, trend and season recursions")

    def forecast(self, steps: int) -> np.ndarray:
        """(steps,) float64 forecasts for the `steps` periods after the data."""
        raise NotImplementedError("HoltWinters.forecast")
