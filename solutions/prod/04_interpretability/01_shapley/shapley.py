"""Reference solution for prod-04-1."""
from __future__ import annotations

from collections.abc import Callable
from math import comb, factorial

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


def _check(x: np.ndarray, background: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    x, background = np.asarray(x, dtype=np.float64), np.asarray(background, dtype=np.float64)
    if x.ndim != 1 or x.size == 0:
        raise ValueError(f"x must be a non-empty 1-D array, got shape {x.shape}")
    if background.ndim != 2 or background.shape[0] < 1 or background.shape[1] != x.size:
        raise ValueError(f"background must be (k, {x.size}) with k >= 1, got {background.shape}")
    return x, background


def _all_masks(d: int) -> np.ndarray:
    return ((np.arange(2**d)[:, None] >> np.arange(d)) & 1).astype(bool)


def exact_shapley(f: Callable[[np.ndarray], np.ndarray], x: np.ndarray, background: np.ndarray) -> np.ndarray:
    x, background = _check(x, background)
    d = x.size
    masks = _all_masks(d)
    v = value_function(f, x, background, masks)
    codes = np.arange(2**d)
    sizes = masks.sum(axis=1)
    phi = np.zeros(d)
    for i in range(d):
        without = ~masks[:, i]
        s = sizes[without]
        w = np.array([factorial(k) * factorial(d - k - 1) / factorial(d) for k in s])
        phi[i] = np.sum(w * (v[codes[without] | (1 << i)] - v[codes[without]]))
    return phi


def kernel_shap(f: Callable[[np.ndarray], np.ndarray], x: np.ndarray, background: np.ndarray,
                n_samples: int | None = None, seed: int = 0) -> np.ndarray:
    x, background = _check(x, background)
    if n_samples is not None and n_samples < 1:
        raise ValueError(f"n_samples must be >= 1, got {n_samples}")
    d = x.size
    v0, v1 = value_function(f, x, background, np.array([[False] * d, [True] * d]))
    delta = v1 - v0
    if d == 1:
        return np.array([delta])
    if n_samples is None:
        z = _all_masks(d)[1:-1]
        s = z.sum(axis=1)
        w = (d - 1) / (np.array([comb(d, k) for k in s]) * s * (d - s))
    else:
        rng = np.random.default_rng(seed)
        sizes = np.arange(1, d)
        p = (d - 1) / (sizes * (d - sizes))
        drawn = rng.choice(sizes, size=n_samples, p=p / p.sum())
        z = np.zeros((n_samples, d), dtype=bool)
        for r, k in enumerate(drawn):
            z[r, rng.choice(d, size=k, replace=False)] = True
        w = np.ones(n_samples)
    y = value_function(f, x, background, z) - v0 - z[:, -1] * delta
    a = z[:, :-1].astype(np.float64) - z[:, -1:]
    sw = np.sqrt(w)
    head = np.linalg.lstsq(a * sw[:, None], y * sw, rcond=None)[0]
    return np.append(head, delta - head.sum())
