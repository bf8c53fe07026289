"""Plausible wrong scaling-law fits and extrapolations that the tests must reject."""
from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

import numpy as np
from matplotlib.figure import Figure

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from extrapolate import fit_power_law, power_law


@pitfall(replaces="fit_power_law", why="a bare scipy.optimize.curve_fit from its default start (1, 1, 1): diverges on flat curves")
def naive_curve_fit(n: np.ndarray, loss: np.ndarray) -> tuple[float, float, float]:
    from scipy.optimize import curve_fit

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            params, _ = curve_fit(power_law, np.asarray(n, dtype=np.float64), np.asarray(loss, dtype=np.float64),
                                  maxfev=5000)
        except RuntimeError:
            return 1.0, 1.0, 1.0
    return tuple(float(p) for p in params)


@pitfall(replaces="fit_power_law", why="no offset: a straight line in log-log (c = 0), which cannot flatten out")
def no_irreducible_loss(n: np.ndarray, loss: np.ndarray) -> tuple[float, float, float]:
    slope, intercept = np.polyfit(np.log(n), np.log(loss), 1)
    return float(np.exp(intercept)), float(-slope), 0.0


@pitfall(replaces="fit_power_law", why="fixes c at 0.9 * min(loss) and fits a line to log(loss - c): wrong floor, log-space error")
def guessed_floor(n: np.ndarray, loss: np.ndarray) -> tuple[float, float, float]:
    loss = np.asarray(loss, dtype=np.float64)
    c = 0.9 * loss.min()
    slope, intercept = np.polyfit(np.log(n), np.log(loss - c), 1)
    return float(np.exp(intercept)), float(-slope), float(c)


@pitfall(replaces="size_for_loss", why="no check for target <= c: returns nan or a meaningless size")
def no_floor_check(params: tuple[float, float, float], target: float) -> float:
    a, alpha, c = params
    with np.errstate(all="ignore"):
        return float(np.float64(a / (target - c)) ** (1.0 / alpha))


@pitfall(replaces="size_for_loss", why="exponent alpha instead of 1 / alpha")
def wrong_exponent(params: tuple[float, float, float], target: float) -> float:
    a, alpha, c = params
    if target <= c:
        return float("inf")
    return float((a / (target - c)) ** alpha)


@pitfall(replaces="holdout_extrapolation", why="assumes the sizes arrive sorted: holds out the last k given, not the largest")
def assumes_sorted(n: np.ndarray, loss: np.ndarray, k: int) -> tuple[tuple[float, float, float], np.ndarray]:
    n, loss = np.asarray(n, dtype=np.float64), np.asarray(loss, dtype=np.float64)
    params = fit_power_law(n[:-k], loss[:-k])
    return params, power_law(n[-k:], *params)


@pitfall(replaces="plot_scaling", why="linear axes and the fit drawn only over the observed range (no extrapolation)")
def no_extrapolation(n: np.ndarray, loss: np.ndarray, params: tuple[float, float, float], n_max: float) -> Figure:
    order = np.argsort(n)
    n, loss = np.asarray(n)[order], np.asarray(loss)[order]
    fig = Figure()
    ax = fig.subplots()
    ax.plot(n, loss, marker="o", linestyle="none", label="observed")
    xs = np.geomspace(n[0], n[-1], 200)
    ax.plot(xs, power_law(xs, *params), label="fit")
    if params[2] > 0:
        ax.axhline(params[2], label="irreducible")
    ax.set_xlabel("parameters")
    ax.set_ylabel("loss")
    ax.legend()
    return fig
