"""Reference solution for prod-04-4."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np
from scipy.stats.mstats import mquantiles


def feature_grid(X: np.ndarray, feature: int, grid_resolution: int = 100,
                 percentiles: tuple[float, float] = (0.05, 0.95)) -> np.ndarray:
    if grid_resolution <= 1:
        raise ValueError(f"grid_resolution must be > 1, got {grid_resolution}")
    low, high = percentiles
    if not 0 <= low < high <= 1:
        raise ValueError(f"percentiles must satisfy 0 <= low < high <= 1, got {percentiles}")
    column = np.asarray(X, dtype=np.float64)[:, feature]
    uniques = np.unique(column)
    if uniques.size < grid_resolution:
        return uniques
    lo, hi = mquantiles(column, prob=[low, high])
    return np.linspace(lo, hi, grid_resolution)


def ice_curves(predict: Callable[[np.ndarray], np.ndarray], X: np.ndarray, feature: int,
               grid: np.ndarray) -> np.ndarray:
    n, g = X.shape[0], len(grid)
    rows = np.repeat(np.asarray(X, dtype=np.float64)[None], g, axis=0)     # (g, n, d), a copy
    rows[:, :, feature] = np.asarray(grid, dtype=np.float64)[:, None]
    preds = np.asarray(predict(rows.reshape(g * n, -1)), dtype=np.float64)
    return preds.reshape(g, n).T


def center_ice(curves: np.ndarray) -> np.ndarray:
    return curves - curves[:, :1]


def partial_dependence(predict: Callable[[np.ndarray], np.ndarray], X: np.ndarray, feature: int,
                       grid_resolution: int = 100, percentiles: tuple[float, float] = (0.05, 0.95)
                       ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    grid = feature_grid(X, feature, grid_resolution, percentiles)
    individual = ice_curves(predict, X, feature, grid)
    return grid, individual.mean(axis=0), individual
