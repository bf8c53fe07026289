"""Plausible wrong projections, Hessians and projected gradient steps that the tests must reject."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from projections import numerical_hessian

_hess = numerical_hessian


@pitfall(replaces="project_simplex", why="clips at 0 and renormalises: lands in the simplex but not at the closest point")
def simplex_clip_renormalise(v: np.ndarray) -> np.ndarray:
    v = np.asarray(v, dtype=np.float64)
    if v.ndim != 1 or len(v) == 0:
        raise ValueError("v")
    x = np.maximum(v, 0.0)
    return x / x.sum() if x.sum() > 0 else np.full(len(v), 1.0 / len(v))


@pitfall(replaces="project_simplex", why="softmax(v): a point of the simplex, but a different map")
def simplex_softmax(v: np.ndarray) -> np.ndarray:
    v = np.asarray(v, dtype=np.float64)
    if v.ndim != 1 or len(v) == 0:
        raise ValueError("v")
    e = np.exp(v - v.max())
    return e / e.sum()


@pitfall(replaces="project_ball", why="always rescales to the sphere, also points already inside")
def ball_always_rescale(v: np.ndarray, radius: float = 1.0, center: np.ndarray | None = None) -> np.ndarray:
    if radius <= 0:
        raise ValueError("radius")
    v = np.asarray(v, dtype=np.float64)
    c = np.zeros_like(v) if center is None else np.asarray(center, dtype=np.float64)
    return c + (v - c) * (radius / np.linalg.norm(v - c))


@pitfall(replaces="project_ball", why="ignores center: projects onto the ball around the origin")
def ball_ignores_center(v: np.ndarray, radius: float = 1.0, center: np.ndarray | None = None) -> np.ndarray:
    if radius <= 0:
        raise ValueError("radius")
    v = np.asarray(v, dtype=np.float64)
    n = float(np.linalg.norm(v))
    return v.copy() if n <= radius else v * (radius / n)


@pitfall(replaces="project_ball", why="returns v itself (not a copy) when it is inside")
def ball_alias(v: np.ndarray, radius: float = 1.0, center: np.ndarray | None = None) -> np.ndarray:
    if radius <= 0:
        raise ValueError("radius")
    c = np.zeros_like(v) if center is None else np.asarray(center, dtype=np.float64)
    n = float(np.linalg.norm(v - c))
    return v if n <= radius else c + (v - c) * (radius / n)


@pitfall(replaces="numerical_hessian", why="divides by h² instead of 4h²: every entry 4 times too large")
def hessian_h_squared(f: Callable[[np.ndarray], float], x: np.ndarray, h: float = 1e-4) -> np.ndarray:
    return 4.0 * _hess(f, x, h)


@pitfall(replaces="projected_gradient_descent", why="projects the gradient step's direction instead of the new point")
def pgd_projects_gradient(grad: Callable[[np.ndarray], np.ndarray], project: Callable[[np.ndarray], np.ndarray],
                          x0: np.ndarray, lr: float, n_steps: int) -> np.ndarray:
    if lr <= 0 or n_steps < 0:
        raise ValueError("args")
    xs = [project(np.asarray(x0, dtype=np.float64))]
    for _ in range(n_steps):
        xs.append(xs[-1] - lr * project(grad(xs[-1])))
    return np.array(xs)


@pitfall(replaces="projected_gradient_descent", why="starts from x0 as given, not from its projection")
def pgd_unprojected_start(grad: Callable[[np.ndarray], np.ndarray], project: Callable[[np.ndarray], np.ndarray],
                          x0: np.ndarray, lr: float, n_steps: int) -> np.ndarray:
    if lr <= 0 or n_steps < 0:
        raise ValueError("args")
    xs = [np.asarray(x0, dtype=np.float64)]
    for _ in range(n_steps):
        xs.append(project(xs[-1] - lr * grad(xs[-1])))
    return np.array(xs)
