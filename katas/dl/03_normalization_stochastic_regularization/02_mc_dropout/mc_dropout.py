"""dl-03-2: MC dropout, predictive mean and variance. Edit this file; `grader check dl-03-2` tests it.

The network (params: "W1" (H, D), "b1" (H,), "W2" (K, H), "b2" (K,), float64) with dropout on its
hidden layer:

    h = relu(x W1ᵀ + b1)          f(x) = dropout(h) W2ᵀ + b2
"""
from __future__ import annotations

import numpy as np

Params = dict[str, np.ndarray]


def hidden(params: Params, x: np.ndarray) -> np.ndarray:
    """Given: h = relu(x W1ᵀ + b1), shape (n, H)."""
    return np.maximum(x @ params["W1"].T + params["b1"], 0.0)


def dropout(x: np.ndarray, p: float, rng: np.random.Generator) -> np.ndarray:
    """Inverted dropout (training mode): each entry independently becomes 0 with probability p, and
    x / (1 − p) otherwise, so that E[dropout(x)] = x. Draw the keep decisions as rng.random(x.shape) >= p.
    x is not modified.

    Shapes:
        x: (...) -> (...)

    Raises:
        ValueError: if p is not in [0, 1).
    """
    raise NotImplementedError("dropout: a Bernoulli(1 − p) mask, scaled by 1 / (1 − p)")


def mc_dropout_predict(params: Params, x: np.ndarray, p: float, T: int, seed: int,
                       tau: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """MC dropout (Gal & Ghahramani 2016): T stochastic forward passes with dropout left on.

    Every pass draws a fresh mask for every hidden unit of every row of x, independently (two equal
    rows get different masks), from rng = np.random.default_rng(seed). Returns the mean of the T
    outputs and their variance (divide by T), plus 1/tau on every entry of the variance when tau (the
    model precision) is given.

    Shapes:
        x: (n, D) -> mean: (n, K), var: (n, K)

    Raises:
        ValueError: if p is not in [0, 1) or T < 1.
    """
    raise NotImplementedError("mc_dropout_predict: T passes with dropout on, then sample mean and variance")


def exact_moments(params: Params, x: np.ndarray, p: float) -> tuple[np.ndarray, np.ndarray]:
    """The limit T → ∞ of mc_dropout_predict (tau=None), in closed form.

    With independent masks and a linear read-out, E[f_k] = h W2ᵀ + b2 (inverted dropout is unbiased) and
    Var[f_k] = Σ_j W2[k, j]² h_j² · p / (1 − p).

    Shapes:
        x: (n, D) -> mean: (n, K), var: (n, K)

    Raises:
        ValueError: if p is not in [0, 1).
    """
    raise NotImplementedError("exact_moments: the deterministic forward pass and Σ W2² h² p / (1 − p)")
