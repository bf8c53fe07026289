"""Reference solution for dl-08-4."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np


def eg_step(x: np.ndarray, g: np.ndarray, lr: float) -> np.ndarray:
    z = np.log(x) - lr * g
    e = np.exp(z - z.max())
    return e / e.sum()


def mirror_descent(grad_fn: Callable[[np.ndarray], np.ndarray], x0: np.ndarray, lr: float, steps: int) -> np.ndarray:
    if np.any(x0 <= 0) or abs(x0.sum() - 1) > 1e-9:
        raise ValueError("x0 must be a positive probability vector")
    xs = [x0.copy()]
    for _ in range(steps):
        xs.append(eg_step(xs[-1], grad_fn(xs[-1]), lr))
    return np.stack(xs)
