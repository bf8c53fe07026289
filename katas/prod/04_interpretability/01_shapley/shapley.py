"""prod-04-1: exact Shapley values and Kernel SHAP. Edit this file; `grader check prod-04-1` tests it."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np


def value_function(f: Callable[[np.ndarray], np.ndarray], x: np.ndarray, background: np.ndarray,
                   masks: np.ndarray) -> np.ndarray:
    """Given: v(S) for each coalition mask, the interventional value used by SHAP.

    v(S) = mean over background rows b of f(z) with z_i = x_i for i in S and z_i = b_i otherwise.

    Shapes:
        x: (d,); background: (k, d); masks: (m, d) bool; returns: (m,) float64
    """
    masks = np.asarray(masks, dtype=bool)
    m, (k, d) = masks.shape[0], background.shape
    rows = np.where(masks[:, None, :], x[None, None, :], background[None, :, :])
    return np.asarray(f(rows.reshape(m * k, d)), dtype=np.float64).reshape(m, k).mean(axis=1)


def exact_shapley(f: Callable[[np.ndarray], np.ndarray], x: np.ndarray, background: np.ndarray) -> np.ndarray:
    """Exact Shapley values of the game v (see value_function) by enumerating all 2**d coalitions.

    phi_i = sum over S not containing i of |S|! (d - |S| - 1)! / d! * (v(S + {i}) - v(S)).

    Shapes:
        x: (d,); background: (k, d); returns: (d,) float64

    Raises:
        ValueError: if x is not 1-D or empty, or background is not (k, d) with k >= 1.
    """
    raise NotImplementedError("exact_shapley: weighted marginal contributions over every coalition")


def kernel_shap(f: Callable[[np.ndarray], np.ndarray], x: np.ndarray, background: np.ndarray,
                n_samples: int | None = None, seed: int = 0) -> np.ndarray:
    """Kernel SHAP: the Shapley-kernel weighted least-squares fit of v(S) - v(empty) by sum_{i in S} phi_i,
    subject to sum(phi) = v(all) - v(empty) exactly (efficiency).

    n_samples=None uses every coalition except the empty and the full one, each with weight
    (d - 1) / (C(d, |S|) |S| (d - |S|)); the result then equals the exact Shapley values.
    An int draws n_samples coalitions from that kernel (a size s in 1..d-1 with probability
    proportional to (d - 1) / (s (d - s)), then a uniformly random subset of that size), from
    np.random.default_rng(seed), and fits them with equal weights. d = 1 needs no fit.

    Shapes:
        x: (d,); background: (k, d); returns: (d,) float64

    Raises:
        ValueError: as exact_shapley, and if n_samples is not None and < 1.
    """
    raise NotImplementedError("kernel_shap: constrained weighted least squares over coalitions")
