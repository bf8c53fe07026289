"""Plausible wrong Shapley and Kernel SHAP implementations that the tests must reject."""
from __future__ import annotations

from collections.abc import Callable
from math import comb, factorial
from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from shapley import _all_masks, _check, value_function


@pitfall(replaces="exact_shapley", why="Banzhaf weights 1/2**(d-1) for every coalition instead of |S|!(d-|S|-1)!/d!")
def banzhaf(f: Callable, x: np.ndarray, background: np.ndarray) -> np.ndarray:
    x, background = _check(x, background)
    d = x.size
    masks = _all_masks(d)
    v = value_function(f, x, background, masks)
    codes = np.arange(2**d)
    return np.array([np.sum(v[codes[~masks[:, i]] | (1 << i)] - v[codes[~masks[:, i]]]) / 2 ** (d - 1)
                     for i in range(d)])


@pitfall(replaces="exact_shapley", why="weights |S|!(d-|S|)!/d!: the factorial of the coalition without i is off by one")
def weight_off_by_one(f: Callable, x: np.ndarray, background: np.ndarray) -> np.ndarray:
    x, background = _check(x, background)
    d = x.size
    masks = _all_masks(d)
    v = value_function(f, x, background, masks)
    codes, sizes = np.arange(2**d), masks.sum(axis=1)
    phi = np.zeros(d)
    for i in range(d):
        without = ~masks[:, i]
        w = np.array([factorial(k) * factorial(d - k) / factorial(d) for k in sizes[without]])
        phi[i] = np.sum(w * (v[codes[without] | (1 << i)] - v[codes[without]]))
    return phi


@pitfall(replaces="exact_shapley", why="leave-one-out: v(all) - v(all without i), which ignores interactions")
def leave_one_out(f: Callable, x: np.ndarray, background: np.ndarray) -> np.ndarray:
    x, background = _check(x, background)
    d = x.size
    full = value_function(f, x, background, np.ones((1, d), dtype=bool))[0]
    return full - value_function(f, x, background, ~np.eye(d, dtype=bool))


@pitfall(replaces="kernel_shap", why="an unweighted least-squares fit over all coalitions: the Shapley kernel is left out")
def unweighted_kernel(f: Callable, x: np.ndarray, background: np.ndarray, n_samples: int | None = None,
                      seed: int = 0) -> np.ndarray:
    x, background = _check(x, background)
    if n_samples is not None and n_samples < 1:
        raise ValueError("n_samples")
    d = x.size
    v0, v1 = value_function(f, x, background, np.array([[False] * d, [True] * d]))
    if d == 1:
        return np.array([v1 - v0])
    z = _all_masks(d)[1:-1]
    y = value_function(f, x, background, z) - v0 - z[:, -1] * (v1 - v0)
    head = np.linalg.lstsq(z[:, :-1].astype(float) - z[:, -1:], y, rcond=None)[0]
    return np.append(head, v1 - v0 - head.sum())


@pitfall(replaces="kernel_shap", why="an unconstrained weighted fit with an intercept: efficiency sum(phi) = f(x) - E f(b) is lost")
def no_efficiency_constraint(f: Callable, x: np.ndarray, background: np.ndarray, n_samples: int | None = None,
                             seed: int = 0) -> np.ndarray:
    x, background = _check(x, background)
    if n_samples is not None and n_samples < 1:
        raise ValueError("n_samples")
    d = x.size
    v0, v1 = value_function(f, x, background, np.array([[False] * d, [True] * d]))
    if d == 1:
        return np.array([v1 - v0])
    if n_samples is None:
        z = _all_masks(d)[1:-1]
        s = z.sum(axis=1)
        w = (d - 1) / (np.array([comb(d, k) for k in s]) * s * (d - s))
    else:
        rng = np.random.default_rng(seed)
        z = rng.random((n_samples, d)) < 0.5
        w = np.ones(n_samples)
    a = np.column_stack([np.ones(len(z)), z.astype(float)])
    sw = np.sqrt(w)
    coef = np.linalg.lstsq(a * sw[:, None], value_function(f, x, background, z) * sw, rcond=None)[0]
    return coef[1:]


@pitfall(replaces="kernel_shap", why="draws coalitions from the global numpy generator: the seed is ignored")
def global_rng(f: Callable, x: np.ndarray, background: np.ndarray, n_samples: int | None = None,
               seed: int = 0) -> np.ndarray:
    x, background = _check(x, background)
    if n_samples is not None and n_samples < 1:
        raise ValueError("n_samples")
    d = x.size
    v0, v1 = value_function(f, x, background, np.array([[False] * d, [True] * d]))
    if d == 1:
        return np.array([v1 - v0])
    if n_samples is None:
        z = _all_masks(d)[1:-1]
        s = z.sum(axis=1)
        w = (d - 1) / (np.array([comb(d, k) for k in s]) * s * (d - s))
    else:
        sizes = np.arange(1, d)
        p = (d - 1) / (sizes * (d - sizes))
        drawn = np.random.choice(sizes, size=n_samples, p=p / p.sum())
        z = np.zeros((n_samples, d), dtype=bool)
        for r, k in enumerate(drawn):
            z[r, np.random.choice(d, size=k, replace=False)] = True
        w = np.ones(n_samples)
    y = value_function(f, x, background, z) - v0 - z[:, -1] * (v1 - v0)
    sw = np.sqrt(w)
    head = np.linalg.lstsq((z[:, :-1].astype(float) - z[:, -1:]) * sw[:, None], y * sw, rcond=None)[0]
    return np.append(head, v1 - v0 - head.sum())
