"""Reference solution for prod-04-2."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np


def lime_kernel(distances: np.ndarray, kernel_width: float) -> np.ndarray:
    if kernel_width <= 0:
        raise ValueError(f"kernel_width must be positive, got {kernel_width}")
    d = np.asarray(distances, dtype=np.float64)
    return np.sqrt(np.exp(-(d**2) / kernel_width**2))


def weighted_linear_fit(z: np.ndarray, y: np.ndarray, weights: np.ndarray,
                        alpha: float = 0.0) -> tuple[float, np.ndarray]:
    z, y, w = (np.asarray(a, dtype=np.float64) for a in (z, y, weights))
    if alpha < 0:
        raise ValueError(f"alpha must be >= 0, got {alpha}")
    if z.ndim != 2 or y.shape != (z.shape[0],) or w.shape != y.shape:
        raise ValueError(f"shapes do not match: z {z.shape}, y {y.shape}, weights {w.shape}")
    z_mean = w @ z / w.sum()
    y_mean = w @ y / w.sum()
    zc, yc = z - z_mean, y - y_mean
    gram = zc.T @ (w[:, None] * zc) + alpha * np.eye(z.shape[1])
    coef = np.linalg.lstsq(gram, zc.T @ (w * yc), rcond=None)[0]
    return float(y_mean - z_mean @ coef), coef


def lime_explain(f: Callable[[np.ndarray], np.ndarray], x: np.ndarray, scale: float | np.ndarray,
                 n_samples: int = 1000, kernel_width: float | None = None, alpha: float = 0.0,
                 seed: int = 0) -> tuple[float, np.ndarray]:
    x = np.asarray(x, dtype=np.float64)
    scale = np.asarray(scale, dtype=np.float64)
    if n_samples < 1:
        raise ValueError(f"n_samples must be >= 1, got {n_samples}")
    if np.any(scale <= 0):
        raise ValueError("every scale must be positive")
    d = x.size
    width = 0.75 * np.sqrt(d) if kernel_width is None else kernel_width
    eps = np.random.default_rng(seed).standard_normal((n_samples, d))
    z = x + scale * eps
    weights = lime_kernel(np.linalg.norm(eps, axis=1), width)
    return weighted_linear_fit(z, np.asarray(f(z), dtype=np.float64), weights, alpha)
