"""Reference solution for dl-03-2."""
from __future__ import annotations

import numpy as np

Params = dict[str, np.ndarray]


def hidden(params: Params, x: np.ndarray) -> np.ndarray:
    """Given: h = relu(x W1ᵀ + b1), shape (n, H)."""
    return np.maximum(x @ params["W1"].T + params["b1"], 0.0)


def _check_p(p: float) -> None:
    if not 0.0 <= p < 1.0:
        raise ValueError(f"p must be in [0, 1), got {p}")


def dropout(x: np.ndarray, p: float, rng: np.random.Generator) -> np.ndarray:
    _check_p(p)
    keep = rng.random(x.shape) >= p
    return np.where(keep, x / (1.0 - p), 0.0)


def mc_dropout_predict(params: Params, x: np.ndarray, p: float, T: int, seed: int,
                       tau: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    _check_p(p)
    if T < 1:
        raise ValueError(f"T must be at least 1, got {T}")
    rng = np.random.default_rng(seed)
    h = hidden(params, x)
    outs = np.stack([dropout(h, p, rng) @ params["W2"].T + params["b2"] for _ in range(T)])
    mean, var = outs.mean(axis=0), outs.var(axis=0)
    if tau is not None:
        var = var + 1.0 / tau
    return mean, var


def exact_moments(params: Params, x: np.ndarray, p: float) -> tuple[np.ndarray, np.ndarray]:
    _check_p(p)
    h = hidden(params, x)
    return h @ params["W2"].T + params["b2"], (h ** 2) @ (params["W2"] ** 2).T * (p / (1.0 - p))
