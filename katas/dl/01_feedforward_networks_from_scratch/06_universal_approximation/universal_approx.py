"""dl-01-6: universal approximation in 1-D with one hidden ReLU layer. Edit this file; `grader check dl-01-6` tests it.

A one-hidden-layer ReLU network on scalars, with params a dict of float64 arrays:

    N(x) = Σ_j w2[j] · relu(w1[j] · x + b1[j]) + b2        w1, b1, w2: (H,);  b2: () (a 0-d array)
"""
from __future__ import annotations

from collections.abc import Callable

import numpy as np


def mlp_1d(x: np.ndarray, params: dict[str, np.ndarray]) -> np.ndarray:
    """Given: evaluate N at every point of x (any shape)."""
    h = np.maximum(np.multiply.outer(x, params["w1"]) + params["b1"], 0.0)
    return h @ params["w2"] + params["b2"]


def relu_interpolant(knots: np.ndarray, values: np.ndarray) -> dict[str, np.ndarray]:
    """Weights of a ReLU network with H = len(knots) − 1 hidden units that equals, on
    [knots[0], knots[-1]], the piecewise-linear interpolant through (knots[i], values[i]) (np.interp).

    Shapes:
        knots: (m,) strictly increasing float64, m >= 2; values: (m,) float64
        returns: {"w1": (m−1,), "b1": (m−1,), "w2": (m−1,), "b2": ()}

    Raises:
        ValueError: if m < 2, the shapes differ, or the knots are not strictly increasing.
    """
    raise NotImplementedError("relu_interpolant: one unit relu(x - t_j) per segment, weighted by the slope change")


def max_interpolation_error(f: Callable[[np.ndarray], np.ndarray], a: float, b: float, width: int,
                            n_grid: int = 2001) -> float:
    """sup |N(x) − f(x)| over np.linspace(a, b, n_grid), for N = relu_interpolant at width + 1 equally
    spaced knots np.linspace(a, b, width + 1) with values f(knots).

    Raises:
        ValueError: if width < 1.
    """
    raise NotImplementedError("max_interpolation_error: interpolant at uniform knots, then the max error on the grid")


def fit_random_relu_features(x: np.ndarray, y: np.ndarray, width: int, seed: int) -> dict[str, np.ndarray]:
    """Train only the output layer: hidden units relu(s_j (x − t_j)) with signs s_j = ±1 and kinks
    t_j ~ U(min x, max x), then w2, b2 by least squares on (x, y).

    Draw the units from rng = np.random.default_rng(seed) in one call, u = rng.random((width, 2)):
    t = min x + (max x − min x) · u[:, 0] and s = −1 where u[:, 1] < 0.5, else +1; so w1 = s and
    b1 = −s·t. A larger width with the same seed then keeps the first units and adds more (the
    training error can only fall as the width grows). w2 and b2 minimise Σ_i (N(x_i) − y_i)².

    Shapes:
        x, y: (n,) float64
        returns: params as relu_interpolant's, H = width
    """
    raise NotImplementedError("fit_random_relu_features: random kinks, then lstsq for [w2, b2]")
