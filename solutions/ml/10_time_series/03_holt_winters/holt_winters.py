"""Reference solution for ml-10-3."""
from __future__ import annotations

import numpy as np


class HoltWinters:
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
        initial states (initial_seasonal: (seasonal_periods,) float64); return self."""
        y = np.asarray(y, dtype=np.float64)
        m = self.seasonal_periods
        s0 = np.asarray(initial_seasonal, dtype=np.float64)
        if s0.shape != (m,):
            raise ValueError(f"initial_seasonal must have shape ({m},), got {s0.shape}")
        phi = phi if self.damped else 1.0
        mul = self.seasonal == "mul"
        n = len(y)
        fitted, level, trend, season = (np.empty(n) for _ in range(4))
        seas = list(s0)
        lvl, b = float(initial_level), float(initial_trend)
        for t in range(n):
            s_old = seas[t]  # s_{t-m}: seas holds s_{1-m}, ..., s_0, s_1, ...
            base = lvl + phi * b
            if mul:
                fitted[t] = base * s_old
                l_new = alpha * y[t] / s_old + (1 - alpha) * base
                s_new = gamma * y[t] / base + (1 - gamma) * s_old
            else:
                fitted[t] = base + s_old
                l_new = alpha * (y[t] - s_old) + (1 - alpha) * base
                s_new = gamma * (y[t] - base) + (1 - gamma) * s_old
            b = beta * (l_new - lvl) + (1 - beta) * phi * b
            lvl = l_new
            seas.append(s_new)
            level[t], trend[t], season[t] = lvl, b, s_new
        self.phi_ = phi
        self.fittedvalues_, self.level_, self.trend_, self.season_ = fitted, level, trend, season
        self.last_season_ = np.array(seas[-m:])
        return self

    def forecast(self, steps: int) -> np.ndarray:
        m = self.seasonal_periods
        lvl, b = self.level_[-1], self.trend_[-1]
        h = np.arange(1, steps + 1)
        damp = np.cumsum(self.phi_ ** h)  # phi + phi^2 + ... + phi^h
        s = self.last_season_[(h - 1) % m]
        return (lvl + damp * b) * s if self.seasonal == "mul" else lvl + damp * b + s
