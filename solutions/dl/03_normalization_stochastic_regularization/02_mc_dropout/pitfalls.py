"""Plausible wrong MC-dropout implementations that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from mc_dropout import Params, _check_p, dropout, hidden


@pitfall(replaces="dropout", why="no 1/(1 − p) rescaling (the original, non-inverted dropout): the MC mean shrinks by (1 − p)")
def unscaled(x: np.ndarray, p: float, rng: np.random.Generator) -> np.ndarray:
    _check_p(p)
    return np.where(rng.random(x.shape) >= p, x, 0.0)


@pitfall(replaces="dropout", why="keeps an entry with probability p instead of dropping it")
def keep_with_p(x: np.ndarray, p: float, rng: np.random.Generator) -> np.ndarray:
    _check_p(p)
    return np.where(rng.random(x.shape) < p, x / (1.0 - p), 0.0) if p > 0 else x.copy()


@pitfall(replaces="dropout", why="multiplies the mask in place into x (x *= mask)")
def in_place(x: np.ndarray, p: float, rng: np.random.Generator) -> np.ndarray:
    _check_p(p)
    x *= (rng.random(x.shape) >= p) / (1.0 - p)
    return x


@pitfall(replaces="mc_dropout_predict", why="one mask per pass shared by every row of the batch")
def shared_mask(params: Params, x: np.ndarray, p: float, T: int, seed: int,
                tau: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    _check_p(p)
    if T < 1:
        raise ValueError("T")
    rng, h = np.random.default_rng(seed), hidden(params, x)
    outs = np.stack([dropout(np.ones((1, h.shape[1])), p, rng) * h @ params["W2"].T + params["b2"] for _ in range(T)])
    var = outs.var(axis=0) + (0.0 if tau is None else 1.0 / tau)
    return outs.mean(axis=0), var


@pitfall(replaces="mc_dropout_predict", why="sample variance with T − 1 (nan for a single pass)")
def unbiased_variance(params: Params, x: np.ndarray, p: float, T: int, seed: int,
                      tau: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    _check_p(p)
    if T < 1:
        raise ValueError("T")
    rng, h = np.random.default_rng(seed), hidden(params, x)
    outs = np.stack([dropout(h, p, rng) @ params["W2"].T + params["b2"] for _ in range(T)])
    with np.errstate(invalid="ignore", divide="ignore"):
        var = outs.var(axis=0, ddof=1) if T > 1 else np.full(outs.shape[1:], np.nan)
    return outs.mean(axis=0), var + (0.0 if tau is None else 1.0 / tau)


@pitfall(replaces="mc_dropout_predict", why="adds tau instead of 1/tau (precision confused with variance)")
def adds_tau(params: Params, x: np.ndarray, p: float, T: int, seed: int,
             tau: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    _check_p(p)
    if T < 1:
        raise ValueError("T")
    rng, h = np.random.default_rng(seed), hidden(params, x)
    outs = np.stack([dropout(h, p, rng) @ params["W2"].T + params["b2"] for _ in range(T)])
    return outs.mean(axis=0), outs.var(axis=0) + (0.0 if tau is None else tau)


@pitfall(replaces="mc_dropout_predict", why="draws masks from the global np.random state: the seed is ignored")
def global_rng(params: Params, x: np.ndarray, p: float, T: int, seed: int,
               tau: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    _check_p(p)
    if T < 1:
        raise ValueError("T")
    h = hidden(params, x)
    outs = np.stack([np.where(np.random.random(h.shape) >= p, h / (1 - p), 0.0) @ params["W2"].T + params["b2"]
                     for _ in range(T)])
    return outs.mean(axis=0), outs.var(axis=0) + (0.0 if tau is None else 1.0 / tau)


@pitfall(replaces="exact_moments", why="variance factor p(1 − p) (a Bernoulli's) instead of p/(1 − p) (the rescaled mask's)")
def bernoulli_factor(params: Params, x: np.ndarray, p: float) -> tuple[np.ndarray, np.ndarray]:
    _check_p(p)
    h = hidden(params, x)
    return h @ params["W2"].T + params["b2"], (h ** 2) @ (params["W2"] ** 2).T * p * (1 - p)


@pitfall(replaces="exact_moments", why="squares the sum, (Σ_j W2 h)², instead of summing the squares")
def square_of_sum(params: Params, x: np.ndarray, p: float) -> tuple[np.ndarray, np.ndarray]:
    _check_p(p)
    h = hidden(params, x)
    return h @ params["W2"].T + params["b2"], (h @ params["W2"].T) ** 2 * (p / (1 - p))
