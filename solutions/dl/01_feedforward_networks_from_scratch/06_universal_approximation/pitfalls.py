"""Plausible wrong universal-approximation constructions that the tests must reject."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from universal_approx import mlp_1d, relu_interpolant


def _check(knots: np.ndarray, values: np.ndarray) -> None:
    if knots.ndim != 1 or knots.shape != values.shape or len(knots) < 2 or np.any(np.diff(knots) <= 0):
        raise ValueError("bad knots")


@pitfall(replaces="relu_interpolant", why="w2 = the slope of each segment, not the change of slope at its kink")
def slopes_not_differences(knots: np.ndarray, values: np.ndarray) -> dict[str, np.ndarray]:
    _check(knots, values)
    slopes = np.diff(values) / np.diff(knots)
    return {"w1": np.ones(len(slopes)), "b1": -knots[:-1], "w2": slopes, "b2": np.array(values[0])}


@pitfall(replaces="relu_interpolant", why="b1 = +t: the kinks sit at −t_j")
def kink_sign(knots: np.ndarray, values: np.ndarray) -> dict[str, np.ndarray]:
    _check(knots, values)
    slopes = np.diff(values) / np.diff(knots)
    return {"w1": np.ones(len(slopes)), "b1": knots[:-1].copy(),
            "w2": np.concatenate([slopes[:1], np.diff(slopes)]), "b2": np.array(values[0])}


@pitfall(replaces="relu_interpolant", why="forgets the output bias b2 = values[0]")
def no_offset(knots: np.ndarray, values: np.ndarray) -> dict[str, np.ndarray]:
    _check(knots, values)
    slopes = np.diff(values) / np.diff(knots)
    return {"w1": np.ones(len(slopes)), "b1": -knots[:-1], "w2": np.concatenate([slopes[:1], np.diff(slopes)]),
            "b2": np.array(0.0)}


@pitfall(replaces="relu_interpolant", why="checks only for decreasing knots: a repeated knot divides by zero silently")
def allows_ties(knots: np.ndarray, values: np.ndarray) -> dict[str, np.ndarray]:
    if knots.shape != values.shape or len(knots) < 2 or np.any(np.diff(knots) < 0):
        raise ValueError("bad knots")
    with np.errstate(divide="ignore", invalid="ignore"):
        slopes = np.diff(values) / np.diff(knots)
    return {"w1": np.ones(len(slopes)), "b1": -knots[:-1], "w2": np.concatenate([slopes[:1], np.diff(slopes)]),
            "b2": np.array(values[0])}


@pitfall(replaces="max_interpolation_error", why="width knots instead of width + 1 (width − 1 segments)")
def knots_off_by_one(f: Callable[[np.ndarray], np.ndarray], a: float, b: float, width: int,
                     n_grid: int = 2001) -> float:
    if width < 1:
        raise ValueError("width")
    knots = np.linspace(a, b, max(width, 2))
    grid = np.linspace(a, b, n_grid)
    return float(np.max(np.abs(mlp_1d(grid, relu_interpolant(knots, f(knots))) - f(grid))))


@pitfall(replaces="max_interpolation_error", why="mean absolute error instead of the maximum")
def mean_error(f: Callable[[np.ndarray], np.ndarray], a: float, b: float, width: int, n_grid: int = 2001) -> float:
    if width < 1:
        raise ValueError("width")
    knots = np.linspace(a, b, width + 1)
    grid = np.linspace(a, b, n_grid)
    return float(np.mean(np.abs(mlp_1d(grid, relu_interpolant(knots, f(knots))) - f(grid))))


@pitfall(replaces="max_interpolation_error", why="ignores n_grid and always uses 2001 points")
def fixed_grid(f: Callable[[np.ndarray], np.ndarray], a: float, b: float, width: int, n_grid: int = 2001) -> float:
    if width < 1:
        raise ValueError("width")
    knots = np.linspace(a, b, width + 1)
    grid = np.linspace(a, b, 2001)
    return float(np.max(np.abs(mlp_1d(grid, relu_interpolant(knots, f(knots))) - f(grid))))


@pitfall(replaces="fit_random_relu_features", why="least squares without the bias column: b2 stays 0")
def no_bias_column(x: np.ndarray, y: np.ndarray, width: int, seed: int) -> dict[str, np.ndarray]:
    u = np.random.default_rng(seed).random((width, 2))
    t = x.min() + (x.max() - x.min()) * u[:, 0]
    s = np.where(u[:, 1] < 0.5, -1.0, 1.0)
    H = np.maximum(np.multiply.outer(x, s) - s * t, 0.0)
    return {"w1": s, "b1": -s * t, "w2": np.linalg.lstsq(H, y, rcond=None)[0], "b2": np.array(0.0)}


@pitfall(replaces="fit_random_relu_features", why="draws t and s in two calls: growing the width reshuffles every unit")
def two_draws(x: np.ndarray, y: np.ndarray, width: int, seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    t = x.min() + (x.max() - x.min()) * rng.random(width)
    s = np.where(rng.random(width) < 0.5, -1.0, 1.0)
    A = np.column_stack([np.maximum(np.multiply.outer(x, s) - s * t, 0.0), np.ones(len(x))])
    c = np.linalg.lstsq(A, y, rcond=None)[0]
    return {"w1": s, "b1": -s * t, "w2": c[:-1], "b2": np.array(c[-1])}


@pitfall(replaces="fit_random_relu_features", why="kinks drawn with the global np.random state")
def global_rng(x: np.ndarray, y: np.ndarray, width: int, seed: int) -> dict[str, np.ndarray]:
    u = np.random.random((width, 2))
    t = x.min() + (x.max() - x.min()) * u[:, 0]
    s = np.where(u[:, 1] < 0.5, -1.0, 1.0)
    A = np.column_stack([np.maximum(np.multiply.outer(x, s) - s * t, 0.0), np.ones(len(x))])
    c = np.linalg.lstsq(A, y, rcond=None)[0]
    return {"w1": s, "b1": -s * t, "w2": c[:-1], "b2": np.array(c[-1])}
