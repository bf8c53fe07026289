"""Reference solution for found-04-3."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

Fn = Callable[[np.ndarray], float]
Grad = Callable[[np.ndarray], np.ndarray]


def backtrack(f: Fn, x: np.ndarray, fx: float, g: np.ndarray, p: np.ndarray) -> float:
    """The first t in 1, 1/2, 1/4, ... (at most 60 tries) with f(x + t p) <= f(x) + 1e-4 t gᵀp; 0.0 if none."""
    slope, t = float(g @ p), 1.0
    for _ in range(60):
        if f(x + t * p) <= fx + 1e-4 * t * slope:
            return t
        t *= 0.5
    return 0.0


def newton(f: Fn, grad: Grad, hess: Callable[[np.ndarray], np.ndarray], x0: np.ndarray, tol: float = 1e-10,
           max_iter: int = 100) -> tuple[np.ndarray, int, bool]:
    x = np.array(x0)
    for k in range(max_iter):
        g = grad(x)
        if np.linalg.norm(g) <= tol:
            return x, k, True
        p = -np.linalg.solve(hess(x), g)
        if g @ p >= 0:  # not a descent direction (Hessian not PD here): fall back to steepest descent
            p = -g
        x = x + backtrack(f, x, f(x), g, p) * p
    return x, max_iter, bool(np.linalg.norm(grad(x)) <= tol)


def bfgs(f: Fn, grad: Grad, x0: np.ndarray, tol: float = 1e-8, max_iter: int = 1000) -> tuple[np.ndarray, int, bool]:
    x = np.array(x0)
    n = len(x)
    H = np.eye(n)
    g = grad(x)
    for k in range(max_iter):
        if np.linalg.norm(g) <= tol:
            return x, k, True
        p = -H @ g
        t = backtrack(f, x, f(x), g, p)
        s = t * p
        x_new = x + s
        g_new = grad(x_new)
        y = g_new - g
        sy = float(s @ y)
        if sy > 1e-12:
            rho = 1.0 / sy
            V = np.eye(n) - rho * np.outer(s, y)
            H = V @ H @ V.T + rho * np.outer(s, s)
        x, g = x_new, g_new
    return x, max_iter, bool(np.linalg.norm(g) <= tol)
