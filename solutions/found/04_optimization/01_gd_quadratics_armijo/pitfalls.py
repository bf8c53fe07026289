"""Plausible wrong gradient-descent and line-search code that the tests must reject."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

from grader.pitfalls import pitfall


@pitfall(replaces="gd_quadratic", why="gradient Ax + b: the sign of the linear term is wrong")
def gd_wrong_gradient(A: np.ndarray, b: np.ndarray, x0: np.ndarray, lr: float, n_steps: int) -> np.ndarray:
    if lr <= 0 or n_steps < 0:
        raise ValueError("args")
    xs = [np.array(x0, dtype=np.float64)]
    for _ in range(n_steps):
        xs.append(xs[-1] - lr * (A @ xs[-1] + b))
    return np.array(xs)


@pitfall(replaces="gd_quadratic", why="updates x0 in place and returns rows that all alias the final iterate")
def gd_in_place(A: np.ndarray, b: np.ndarray, x0: np.ndarray, lr: float, n_steps: int) -> np.ndarray:
    if lr <= 0 or n_steps < 0:
        raise ValueError("args")
    x, xs = x0, [x0.copy()]
    for _ in range(n_steps):
        x -= lr * (A @ x - b)
        xs.append(x.copy())
    return np.array(xs)


@pitfall(replaces="optimal_rate", why="step 1/λmax and rate 1 − 1/κ: the safe step, not the optimal one")
def rate_safe_step(A: np.ndarray) -> tuple[float, float]:
    lam = np.linalg.eigvalsh(A)
    if lam[0] <= 0:
        raise ValueError("pd")
    return float(1 / lam[-1]), float(1 - lam[0] / lam[-1])


@pitfall(replaces="optimal_rate", why="rate (κ − 1)/κ instead of (κ − 1)/(κ + 1)")
def rate_wrong_formula(A: np.ndarray) -> tuple[float, float]:
    lam = np.linalg.eigvalsh(A)
    if lam[0] <= 0:
        raise ValueError("pd")
    k = lam[-1] / lam[0]
    return float(2 / (lam[0] + lam[-1])), float((k - 1) / k)


@pitfall(replaces="armijo_step", why="accepts any decrease f(x − tg) < f(x): no sufficient-decrease term c·t·‖g‖²")
def armijo_simple_decrease(f: Callable[[np.ndarray], float], g: np.ndarray, x: np.ndarray, t0: float = 1.0,
                           beta: float = 0.5, c: float = 1e-4, max_halvings: int = 60) -> float:
    if t0 <= 0 or not 0 < beta < 1 or not 0 < c < 1:
        raise ValueError("args")
    t, fx = t0, f(x)
    for _ in range(max_halvings):
        if f(x - t * g) < fx:
            return t
        t *= beta
    raise ValueError("no step")


@pitfall(replaces="armijo_step", why="halves t regardless of beta")
def armijo_fixed_half(f: Callable[[np.ndarray], float], g: np.ndarray, x: np.ndarray, t0: float = 1.0,
                      beta: float = 0.5, c: float = 1e-4, max_halvings: int = 60) -> float:
    if t0 <= 0 or not 0 < beta < 1 or not 0 < c < 1:
        raise ValueError("args")
    t, fx, gg = t0, f(x), float(g @ g)
    for _ in range(max_halvings):
        if f(x - t * g) <= fx - c * t * gg:
            return t
        t *= 0.5
    raise ValueError("no step")


@pitfall(replaces="armijo_step", why="the condition with ‖g‖ instead of ‖g‖²")
def armijo_norm_not_squared(f: Callable[[np.ndarray], float], g: np.ndarray, x: np.ndarray, t0: float = 1.0,
                            beta: float = 0.5, c: float = 1e-4, max_halvings: int = 60) -> float:
    if t0 <= 0 or not 0 < beta < 1 or not 0 < c < 1:
        raise ValueError("args")
    t, fx, gn = t0, f(x), float(np.linalg.norm(g))
    for _ in range(max_halvings):
        if f(x - t * g) <= fx - c * t * gn:
            return t
        t *= beta
    raise ValueError("no step")
