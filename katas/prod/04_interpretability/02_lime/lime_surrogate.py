"""prod-04-2: LIME local surrogate models. Edit this file; `grader check prod-04-2` tests it."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np


def lime_kernel(distances: np.ndarray, kernel_width: float) -> np.ndarray:
    """LIME's proximity weight: sqrt(exp(-distance**2 / kernel_width**2)).

    Shapes:
        distances: (n,) non-negative; returns: (n,) float64 in (0, 1]

    Raises:
        ValueError: if kernel_width <= 0.
    """
    raise NotImplementedError("lime_kernel: exponential kernel on the distances")


def weighted_linear_fit(z: np.ndarray, y: np.ndarray, weights: np.ndarray,
                        alpha: float = 0.0) -> tuple[float, np.ndarray]:
    """Weighted ridge regression with an unpenalised intercept, as sklearn's Ridge(alpha).fit(z, y, weights):

    minimise sum_n weights_n (y_n - b - z_n . w)**2 + alpha * |w|**2 over the intercept b and coef w.

    Shapes:
        z: (n, d); y: (n,); weights: (n,) non-negative; returns: (b, w) with w (d,) float64

    Raises:
        ValueError: if alpha < 0, or the shapes do not match.
    """
    raise NotImplementedError("weighted_linear_fit: centre by the weighted means, then solve")


def lime_explain(f: Callable[[np.ndarray], np.ndarray], x: np.ndarray, scale: float | np.ndarray,
                 n_samples: int = 1000, kernel_width: float | None = None, alpha: float = 0.0,
                 seed: int = 0) -> tuple[float, np.ndarray]:
    """LIME for tabular data: a weighted linear surrogate of f around x.

    Draw eps = np.random.default_rng(seed).standard_normal((n_samples, d)) and the perturbations
    z = x + scale * eps; weight each by lime_kernel of the distance |eps| (the Euclidean norm of the
    standardised offset) with kernel_width (None -> 0.75 * sqrt(d)); return
    weighted_linear_fit(z, f(z), weights, alpha).

    Shapes:
        x: (d,); scale: a float or (d,) per-feature standard deviations; f maps (n, d) -> (n,)
        returns: (intercept, coef) with coef (d,) float64

    Raises:
        ValueError: if n_samples < 1 or any scale <= 0 (and as lime_kernel / weighted_linear_fit).
    """
    raise NotImplementedError("lime_explain: perturb, weight by proximity, fit")
