"""Reference solution for found-04-2."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np


def project_simplex(v: np.ndarray) -> np.ndarray:
    v = np.asarray(v)
    if v.ndim != 1 or len(v) == 0:
        raise ValueError("v must be a non-empty 1-D array")
    u = np.sort(v)[::-1]
    css = np.cumsum(u)
    k = np.arange(1, len(v) + 1)
    rho = int(np.nonzero(u - (css - 1) / k > 0)[0][-1])
    tau = (css[rho] - 1) / (rho + 1)
    return np.maximum(v - tau, 0.0)


def project_ball(v: np.ndarray, radius: float = 1.0, center: np.ndarray | None = None) -> np.ndarray:
    if radius <= 0:
        raise ValueError(f"radius must be positive, got {radius}")
    v = np.asarray(v)
    c = np.zeros(v.shape) if center is None else np.asarray(center)
    d = v - c
    norm = float(np.linalg.norm(d))
    return v.copy() if norm <= radius else c + d * (radius / norm)


def numerical_hessian(f: Callable[[np.ndarray], float], x: np.ndarray, h: float = 1e-4) -> np.ndarray:
    x = np.asarray(x)
    n = len(x)
    H = np.zeros((n, n))
    E = np.eye(n) * h
    for i in range(n):
        for j in range(i, n):
            H[i, j] = H[j, i] = (f(x + E[i] + E[j]) - f(x + E[i] - E[j]) - f(x - E[i] + E[j])
                                 + f(x - E[i] - E[j])) / (4 * h * h)
    return H


def projected_gradient_descent(grad: Callable[[np.ndarray], np.ndarray], project: Callable[[np.ndarray], np.ndarray],
                               x0: np.ndarray, lr: float, n_steps: int) -> np.ndarray:
    if lr <= 0 or n_steps < 0:
        raise ValueError(f"need lr > 0 and n_steps >= 0, got {lr}, {n_steps}")
    xs = [project(np.asarray(x0))]
    for _ in range(n_steps):
        xs.append(project(xs[-1] - lr * grad(xs[-1])))
    return np.array(xs)
