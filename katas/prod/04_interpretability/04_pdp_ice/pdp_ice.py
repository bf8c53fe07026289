"""prod-04-4: partial dependence and ICE curves. Edit this file; `grader check prod-04-4` tests it."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np


def feature_grid(X: np.ndarray, feature: int, grid_resolution: int = 100,
                 percentiles: tuple[float, float] = (0.05, 0.95)) -> np.ndarray:
    """The grid sklearn evaluates a feature on.

    If column `feature` has fewer than grid_resolution distinct values: those values, sorted.
    Otherwise grid_resolution evenly spaced points from the low to the high empirical percentile,
    computed with scipy.stats.mstats.mquantiles(column, prob=percentiles) (its default plotting
    positions alphap = betap = 0.4).

    Shapes:
        X: (n, d), any real dtype; returns: (g,) float64

    Raises:
        ValueError: if grid_resolution <= 1, or percentiles is not (low, high) with 0 <= low < high <= 1.
    """
    raise NotImplementedError("feature_grid: unique values, or a linspace between two percentiles")


def ice_curves(predict: Callable[[np.ndarray], np.ndarray], X: np.ndarray, feature: int,
               grid: np.ndarray) -> np.ndarray:
    """Individual conditional expectation: out[i, j] = predict(X[i] with X[i, feature] set to grid[j]).

    X may hold integers (counts, codes); the rows passed to predict are float64 either way.

    Shapes:
        X: (n, d); grid: (g,); predict maps (m, d) -> (m,); returns: (n, g) float64
    """
    raise NotImplementedError("ice_curves: one prediction per (row, grid value)")


def center_ice(curves: np.ndarray) -> np.ndarray:
    """Centred ICE (c-ICE): each curve minus its own value at the first grid point. Returns a new array.

    Shapes:
        curves: (n, g); returns: (n, g)
    """
    raise NotImplementedError("center_ice: anchor every curve at the first grid point")


def partial_dependence(predict: Callable[[np.ndarray], np.ndarray], X: np.ndarray, feature: int,
                       grid_resolution: int = 100, percentiles: tuple[float, float] = (0.05, 0.95)
                       ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Partial dependence by brute force, as sklearn.inspection.partial_dependence(kind="both", method="brute").

    Returns (grid, average, individual): grid = feature_grid(...), individual = the ICE curves on
    it, average = their mean over the rows (the PD curve).

    Shapes:
        X: (n, d); returns: grid (g,), average (g,), individual (n, g)

    Raises:
        ValueError: as feature_grid.
    """
    raise NotImplementedError("partial_dependence: grid, ICE curves, their average")
