"""Reference solution for found-04-1."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np


def gd_quadratic(A: np.ndarray, b: np.ndarray, x0: np.ndarray, lr: float, n_steps: int) -> np.ndarray:
    if lr <= 0 or n_steps < 0:
        raise ValueError(f"need lr > 0 and n_steps >= 0, got lr={lr}, n_steps={n_steps}")
    xs = [np.array(x0)]
    for _ in range(n_steps):
        x = xs[-1]
        xs.append(x - lr * (A @ x - b))
    return np.array(xs)


def optimal_rate(A: np.ndarray) -> tuple[float, float]:
    lam = np.linalg.eigvalsh(A)
    if lam[0] <= 0:
        raise ValueError("A must be symmetric positive definite")
    kappa = lam[-1] / lam[0]
    return float(2.0 / (lam[0] + lam[-1])), float((kappa - 1) / (kappa + 1))


def armijo_step(f: Callable[[np.ndarray], float], g: np.ndarray, x: np.ndarray, t0: float = 1.0,
                beta: float = 0.5, c: float = 1e-4, max_halvings: int = 60) -> float:
    if t0 <= 0 or not 0 < beta < 1 or not 0 < c < 1:
        raise ValueError(f"need t0 > 0 and beta, c in (0, 1), got {t0}, {beta}, {c}")
    fx, gg = f(x), float(g @ g)
    t = t0
    for _ in range(max_halvings):
        if f(x - t * g) <= fx - c * t * gg:
            return t
        t *= beta
    raise ValueError("no step satisfies the Armijo condition: is g the gradient at x?")


def gd_armijo(f: Callable[[np.ndarray], float], grad: Callable[[np.ndarray], np.ndarray], x0: np.ndarray,
              n_steps: int, t0: float = 1.0, beta: float = 0.5, c: float = 1e-4) -> tuple[np.ndarray, np.ndarray]:
    xs, ts = [np.array(x0)], []
    for _ in range(n_steps):
        x = xs[-1]
        g = grad(x)
        if not np.any(g):
            break
        t = armijo_step(f, g, x, t0, beta, c)
        ts.append(t)
        xs.append(x - t * g)
    return np.array(xs), np.array(ts)
