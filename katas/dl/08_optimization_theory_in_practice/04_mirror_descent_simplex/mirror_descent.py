"""dl-08-4: exponentiated gradient (mirror descent with the entropy) on the probability simplex.
Edit this file; `grader check dl-08-4` tests it."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np


def eg_step(x: np.ndarray, g: np.ndarray, lr: float) -> np.ndarray:
    """One exponentiated-gradient step: x_i ← x_i exp(−lr g_i) / Σ_j x_j exp(−lr g_j).

    Exact for any finite lr·g (no overflow or underflow to an all-zero vector): work in log space and
    subtract the maximum before exponentiating. x is not modified.

    Shapes:
        x: (d,) on the simplex (positive, summing to 1); g: (d,) -> (d,) on the simplex
    """
    raise NotImplementedError("eg_step: softmax(log x − lr g)")


def mirror_descent(grad_fn: Callable[[np.ndarray], np.ndarray], x0: np.ndarray, lr: float, steps: int) -> np.ndarray:
    """Run `steps` EG steps from x0 with gradients grad_fn(x_t); return all iterates x_0 … x_steps.

    Shapes:
        x0: (d,) -> (steps + 1, d)

    Raises:
        ValueError: if x0 has a non-positive entry or does not sum to 1 (within 1e-9).
    """
    raise NotImplementedError("mirror_descent: iterate eg_step, keep every iterate")
