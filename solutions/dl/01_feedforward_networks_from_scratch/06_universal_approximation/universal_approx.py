"""Reference solution for dl-01-6."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np


def mlp_1d(x: np.ndarray, params: dict[str, np.ndarray]) -> np.ndarray:
    """Given: evaluate N at every point of x (any shape)."""
    h = np.maximum(np.multiply.outer(x, params["w1"]) + params["b1"], 0.0)
    return h @ params["w2"] + params["b2"]


def relu_interpolant(knots: np.ndarray, values: np.ndarray) -> dict[str, np.ndarray]:
    knots, values = np.asarray(knots, dtype=np.float64), np.asarray(values, dtype=np.float64)
    if knots.ndim != 1 or knots.shape != values.shape or len(knots) < 2:
        raise ValueError("need two or more knots and one value per knot")
    if np.any(np.diff(knots) <= 0):
        raise ValueError("knots must be strictly increasing")
    slopes = np.diff(values) / np.diff(knots)
    w2 = np.concatenate([slopes[:1], np.diff(slopes)])
    return {"w1": np.ones(len(slopes)), "b1": -knots[:-1].copy(), "w2": w2, "b2": np.array(values[0])}


def max_interpolation_error(f: Callable[[np.ndarray], np.ndarray], a: float, b: float, width: int,
                            n_grid: int = 2001) -> float:
    if width < 1:
        raise ValueError("width must be at least 1")
    knots = np.linspace(a, b, width + 1)
    params = relu_interpolant(knots, f(knots))
    grid = np.linspace(a, b, n_grid)
    return float(np.max(np.abs(mlp_1d(grid, params) - f(grid))))


def fit_random_relu_features(x: np.ndarray, y: np.ndarray, width: int, seed: int) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    u = rng.random((width, 2))
    t = x.min() + (x.max() - x.min()) * u[:, 0]
    s = np.where(u[:, 1] < 0.5, -1.0, 1.0)
    w1, b1 = s, -s * t
    H = np.maximum(np.multiply.outer(x, w1) + b1, 0.0)
    A = np.column_stack([H, np.ones(len(x))])
    coef = np.linalg.lstsq(A, y, rcond=None)[0]
    return {"w1": w1, "b1": b1, "w2": coef[:-1], "b2": np.array(coef[-1])}
