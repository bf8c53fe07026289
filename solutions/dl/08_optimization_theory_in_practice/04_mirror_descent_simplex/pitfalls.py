"""Plausible wrong exponentiated-gradient steps that the tests must reject."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from mirror_descent import eg_step


@pitfall(replaces="eg_step", why="x ⊙ exp(−η g) without the max shift: overflows (or underflows to 0/0) for large η g")
def no_shift(x: np.ndarray, g: np.ndarray, lr: float) -> np.ndarray:
    e = x * np.exp(-lr * g)
    return e / e.sum()


@pitfall(replaces="eg_step", why="projected gradient descent: x − η g clipped at 0 and renormalised")
def projected_gd(x: np.ndarray, g: np.ndarray, lr: float) -> np.ndarray:
    y = np.clip(x - lr * g, 1e-12, None)
    return y / y.sum()


@pitfall(replaces="eg_step", why="exp(+η g): ascends instead of descending")
def ascent(x: np.ndarray, g: np.ndarray, lr: float) -> np.ndarray:
    z = np.log(x) + lr * g
    e = np.exp(z - z.max())
    return e / e.sum()


@pitfall(replaces="mirror_descent", why="returns the iterates after x_0 only (x_0 missing)")
def drops_x0(grad_fn: Callable[[np.ndarray], np.ndarray], x0: np.ndarray, lr: float, steps: int) -> np.ndarray:
    if np.any(x0 <= 0) or abs(x0.sum() - 1) > 1e-9:
        raise ValueError("x0")
    xs, x = [], x0
    for _ in range(steps + 1):
        x = eg_step(x, grad_fn(x), lr)
        xs.append(x)
    return np.stack(xs)


@pitfall(replaces="mirror_descent", why="accepts any positive x0 and silently normalises it")
def normalises_x0(grad_fn: Callable[[np.ndarray], np.ndarray], x0: np.ndarray, lr: float, steps: int) -> np.ndarray:
    if np.any(x0 <= 0):
        raise ValueError("x0")
    xs = [x0 / x0.sum()]
    for _ in range(steps):
        xs.append(eg_step(xs[-1], grad_fn(xs[-1]), lr))
    return np.stack(xs)
