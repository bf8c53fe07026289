"""Plausible wrong partial-dependence and ICE implementations that the tests must reject."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from pdp_ice import feature_grid, ice_curves


def _checked(grid_resolution: int, percentiles: tuple[float, float]) -> None:
    if grid_resolution <= 1 or not 0 <= percentiles[0] < percentiles[1] <= 1:
        raise ValueError("bad grid arguments")


@pitfall(replaces="feature_grid", why="np.percentile's linear interpolation instead of mquantiles' plotting positions")
def numpy_percentiles(X: np.ndarray, feature: int, grid_resolution: int = 100,
                      percentiles: tuple[float, float] = (0.05, 0.95)) -> np.ndarray:
    _checked(grid_resolution, percentiles)
    column = np.asarray(X, dtype=np.float64)[:, feature]
    uniques = np.unique(column)
    if uniques.size < grid_resolution:
        return uniques
    lo, hi = np.quantile(column, percentiles)
    return np.linspace(lo, hi, grid_resolution)


@pitfall(replaces="feature_grid", why="uses the distinct values up to and including grid_resolution of them (<= for <)")
def unique_boundary(X: np.ndarray, feature: int, grid_resolution: int = 100,
                    percentiles: tuple[float, float] = (0.05, 0.95)) -> np.ndarray:
    from scipy.stats.mstats import mquantiles

    _checked(grid_resolution, percentiles)
    column = np.asarray(X, dtype=np.float64)[:, feature]
    uniques = np.unique(column)
    if uniques.size <= grid_resolution:
        return uniques
    lo, hi = mquantiles(column, prob=list(percentiles))
    return np.linspace(lo, hi, grid_resolution)


@pitfall(replaces="ice_curves", why="writes the grid value into X itself: the caller's data is overwritten")
def in_place(predict: Callable, X: np.ndarray, feature: int, grid: np.ndarray) -> np.ndarray:
    out = np.empty((X.shape[0], len(grid)))
    for j, value in enumerate(grid):
        X[:, feature] = value
        out[:, j] = predict(X)
    return out


@pitfall(replaces="partial_dependence", why="predicts at the average row with the feature varied, instead of averaging the predictions")
def plug_in_mean(predict: Callable, X: np.ndarray, feature: int, grid_resolution: int = 100,
                 percentiles: tuple[float, float] = (0.05, 0.95)) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    grid = feature_grid(X, feature, grid_resolution, percentiles)
    individual = ice_curves(predict, X, feature, grid)
    return grid, ice_curves(predict, X.mean(axis=0, keepdims=True), feature, grid)[0], individual


@pitfall(replaces="center_ice", why="subtracts each curve's mean instead of its value at the first grid point")
def mean_centred(curves: np.ndarray) -> np.ndarray:
    return curves - curves.mean(axis=1, keepdims=True)


@pitfall(replaces="center_ice", why="centres in place and returns the caller's array")
def centre_in_place(curves: np.ndarray) -> np.ndarray:
    curves -= curves[:, :1].copy()
    return curves
