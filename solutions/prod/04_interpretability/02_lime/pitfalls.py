"""Plausible wrong LIME implementations that the tests must reject."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from lime_surrogate import lime_kernel, weighted_linear_fit


@pitfall(replaces="lime_kernel", why="exp(-d^2 / w^2) without lime's square root: the neighbourhood is too narrow")
def no_sqrt_kernel(distances: np.ndarray, kernel_width: float) -> np.ndarray:
    if kernel_width <= 0:
        raise ValueError("width")
    return np.exp(-(np.asarray(distances, dtype=np.float64) ** 2) / kernel_width**2)


@pitfall(replaces="weighted_linear_fit", why="fits through the origin: no intercept, so the slope absorbs the offset")
def no_intercept(z: np.ndarray, y: np.ndarray, weights: np.ndarray, alpha: float = 0.0) -> tuple[float, np.ndarray]:
    z, y, w = (np.asarray(a, dtype=np.float64) for a in (z, y, weights))
    if alpha < 0 or z.ndim != 2 or y.shape != (z.shape[0],) or w.shape != y.shape:
        raise ValueError("bad inputs")
    coef = np.linalg.lstsq(z.T @ (w[:, None] * z) + alpha * np.eye(z.shape[1]), z.T @ (w * y), rcond=None)[0]
    return 0.0, coef


@pitfall(replaces="weighted_linear_fit", why="penalises the intercept too (ridge on an appended column of ones)")
def penalised_intercept(z: np.ndarray, y: np.ndarray, weights: np.ndarray,
                        alpha: float = 0.0) -> tuple[float, np.ndarray]:
    z, y, w = (np.asarray(a, dtype=np.float64) for a in (z, y, weights))
    if alpha < 0 or z.ndim != 2 or y.shape != (z.shape[0],) or w.shape != y.shape:
        raise ValueError("bad inputs")
    a = np.column_stack([np.ones(len(z)), z])
    sol = np.linalg.lstsq(a.T @ (w[:, None] * a) + alpha * np.eye(a.shape[1]), a.T @ (w * y), rcond=None)[0]
    return float(sol[0]), sol[1:]


@pitfall(replaces="lime_explain", why="ignores the proximity weights: a global, not a local, linear fit")
def unweighted(f: Callable, x: np.ndarray, scale: float | np.ndarray, n_samples: int = 1000,
               kernel_width: float | None = None, alpha: float = 0.0, seed: int = 0) -> tuple[float, np.ndarray]:
    x, scale = np.asarray(x, dtype=np.float64), np.asarray(scale, dtype=np.float64)
    if n_samples < 1 or np.any(scale <= 0):
        raise ValueError("bad arguments")
    z = x + scale * np.random.default_rng(seed).standard_normal((n_samples, x.size))
    return weighted_linear_fit(z, np.asarray(f(z), dtype=np.float64), np.ones(n_samples), alpha)


@pitfall(replaces="lime_explain", why="measures distance in raw units |z - x| instead of the standardised |eps|")
def raw_distance(f: Callable, x: np.ndarray, scale: float | np.ndarray, n_samples: int = 1000,
                 kernel_width: float | None = None, alpha: float = 0.0, seed: int = 0) -> tuple[float, np.ndarray]:
    x, scale = np.asarray(x, dtype=np.float64), np.asarray(scale, dtype=np.float64)
    if n_samples < 1 or np.any(scale <= 0):
        raise ValueError("bad arguments")
    width = 0.75 * np.sqrt(x.size) if kernel_width is None else kernel_width
    z = x + scale * np.random.default_rng(seed).standard_normal((n_samples, x.size))
    weights = lime_kernel(np.linalg.norm(z - x, axis=1), width)
    return weighted_linear_fit(z, np.asarray(f(z), dtype=np.float64), weights, alpha)


@pitfall(replaces="lime_explain", why="default kernel width sqrt(d) instead of lime's 0.75 * sqrt(d)")
def wide_default(f: Callable, x: np.ndarray, scale: float | np.ndarray, n_samples: int = 1000,
                 kernel_width: float | None = None, alpha: float = 0.0, seed: int = 0) -> tuple[float, np.ndarray]:
    x, scale = np.asarray(x, dtype=np.float64), np.asarray(scale, dtype=np.float64)
    if n_samples < 1 or np.any(scale <= 0):
        raise ValueError("bad arguments")
    width = np.sqrt(x.size) if kernel_width is None else kernel_width
    eps = np.random.default_rng(seed).standard_normal((n_samples, x.size))
    z = x + scale * eps
    return weighted_linear_fit(z, np.asarray(f(z), dtype=np.float64), lime_kernel(np.linalg.norm(eps, axis=1), width),
                               alpha)
