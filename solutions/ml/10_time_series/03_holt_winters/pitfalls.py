"""Plausible wrong Holt-Winters recursions that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from holt_winters import HoltWinters


def _run(self: HoltWinters, y: np.ndarray, alpha: float, beta: float, gamma: float, l0: float, b0: float,
         s0: np.ndarray, phi: float, *, season_from_new_level: bool = False, undamped_trend_update: bool = False,
         reverse_initial: bool = False) -> HoltWinters:
    y = np.asarray(y, dtype=np.float64)
    m = self.seasonal_periods
    s0 = np.asarray(s0, dtype=np.float64)
    if s0.shape != (m,):
        raise ValueError("bad initial_seasonal")
    phi = phi if self.damped else 1.0
    mul = self.seasonal == "mul"
    seas = list(s0[::-1] if reverse_initial else s0)
    lvl, b = float(l0), float(b0)
    n = len(y)
    fitted, level, trend, season = (np.empty(n) for _ in range(4))
    for t in range(n):
        s_old, base = seas[t], lvl + phi * b
        fitted[t] = base * s_old if mul else base + s_old
        l_new = alpha * (y[t] / s_old if mul else y[t] - s_old) + (1 - alpha) * base
        ref = l_new if season_from_new_level else base
        s_new = gamma * (y[t] / ref if mul else y[t] - ref) + (1 - gamma) * s_old
        b = beta * (l_new - lvl) + (1 - beta) * (b if undamped_trend_update else phi * b)
        lvl = l_new
        seas.append(s_new)
        level[t], trend[t], season[t] = lvl, b, s_new
    self.phi_ = phi
    self.fittedvalues_, self.level_, self.trend_, self.season_ = fitted, level, trend, season
    self.last_season_ = np.array(seas[-m:])
    return self


@pitfall(replaces="HoltWinters.fit", why="season updated from the NEW level l_t (Winters' original form) instead of l_{t-1} + phi b_{t-1}")
def season_from_new_level(self: HoltWinters, y: np.ndarray, alpha: float, beta: float, gamma: float,
                          initial_level: float, initial_trend: float, initial_seasonal: np.ndarray,
                          phi: float = 1.0) -> HoltWinters:
    return _run(self, y, alpha, beta, gamma, initial_level, initial_trend, initial_seasonal, phi,
                season_from_new_level=True)


@pitfall(replaces="HoltWinters.fit", why="damping left out of the trend update: (1 - beta) b instead of (1 - beta) phi b")
def undamped_trend_update(self: HoltWinters, y: np.ndarray, alpha: float, beta: float, gamma: float,
                          initial_level: float, initial_trend: float, initial_seasonal: np.ndarray,
                          phi: float = 1.0) -> HoltWinters:
    return _run(self, y, alpha, beta, gamma, initial_level, initial_trend, initial_seasonal, phi,
                undamped_trend_update=True)


@pitfall(replaces="HoltWinters.fit", why="initial_seasonal read newest-first: its last entry is used for y[0]")
def reversed_initial_season(self: HoltWinters, y: np.ndarray, alpha: float, beta: float, gamma: float,
                            initial_level: float, initial_trend: float, initial_seasonal: np.ndarray,
                            phi: float = 1.0) -> HoltWinters:
    return _run(self, y, alpha, beta, gamma, initial_level, initial_trend, initial_seasonal, phi,
                reverse_initial=True)


@pitfall(replaces="HoltWinters.forecast", why="damped trend forecast uses phi^h b instead of (phi + ... + phi^h) b")
def damping_power_not_sum(self: HoltWinters, steps: int) -> np.ndarray:
    m = self.seasonal_periods
    h = np.arange(1, steps + 1)
    trend = self.level_[-1] + (self.phi_**h if self.damped else h) * self.trend_[-1]
    s = self.last_season_[(h - 1) % m]
    return trend * s if self.seasonal == "mul" else trend + s


@pitfall(replaces="HoltWinters.forecast", why="picks the season as s[h % m]: off by one, the last season is used for h = 1")
def season_index_off_by_one(self: HoltWinters, steps: int) -> np.ndarray:
    m = self.seasonal_periods
    h = np.arange(1, steps + 1)
    trend = self.level_[-1] + np.cumsum(self.phi_**h) * self.trend_[-1]
    s = self.last_season_[h % m]
    return trend * s if self.seasonal == "mul" else trend + s


@pitfall(replaces="HoltWinters.fit", why="a ring buffer of seasons that IS the caller's initial_seasonal: s_t overwrites "
         "initial_seasonal[t % m] in place")
def seasons_in_callers_array(self: HoltWinters, y: np.ndarray, alpha: float, beta: float, gamma: float,
                             initial_level: float, initial_trend: float, initial_seasonal: np.ndarray,
                             phi: float = 1.0) -> HoltWinters:
    m = self.seasonal_periods
    ring = initial_seasonal
    if ring.shape != (m,):
        raise ValueError(f"initial_seasonal must have shape ({m},), got {ring.shape}")
    phi = phi if self.damped else 1.0
    mul = self.seasonal == "mul"
    n = len(y)
    fitted, level, trend, season = (np.empty(n) for _ in range(4))
    lvl, b = float(initial_level), float(initial_trend)
    for t in range(n):
        s_old = ring[t % m]
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
        ring[t % m] = s_new
        level[t], trend[t], season[t] = lvl, b, s_new
    self.phi_ = phi
    self.fittedvalues_, self.level_, self.trend_, self.season_ = fitted, level, trend, season
    self.last_season_ = np.array([ring[(n + j) % m] for j in range(m)])
    return self
