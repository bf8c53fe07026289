"""Plausible wrong initialisers and variance recursions that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from init_variance import ACTIVATIONS


@pitfall(replaces="xavier_uniform", why="uses the normal's σ = √(2/(fan_in+fan_out)) as the uniform bound: variance 3× too small")
def uniform_bound_is_std(fan_in: int, fan_out: int, rng: np.random.Generator, gain: float = 1.0) -> np.ndarray:
    a = gain * np.sqrt(2.0 / (fan_in + fan_out))
    return rng.uniform(-a, a, size=(fan_out, fan_in))


@pitfall(replaces="xavier_uniform", why="forgets the gain")
def uniform_no_gain(fan_in: int, fan_out: int, rng: np.random.Generator, gain: float = 1.0) -> np.ndarray:
    a = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-a, a, size=(fan_out, fan_in))


@pitfall(replaces="xavier_normal", why="returns (fan_in, fan_out): the math layout, not torch.nn.Linear's")
def normal_transposed(fan_in: int, fan_out: int, rng: np.random.Generator, gain: float = 1.0) -> np.ndarray:
    return rng.normal(0.0, gain * np.sqrt(2.0 / (fan_in + fan_out)), size=(fan_in, fan_out))


@pitfall(replaces="xavier_normal", why="σ² = gain·2/(fan_in+fan_out) used as the std (missing square root)")
def normal_variance_as_std(fan_in: int, fan_out: int, rng: np.random.Generator, gain: float = 1.0) -> np.ndarray:
    return rng.normal(0.0, gain * 2.0 / (fan_in + fan_out), size=(fan_out, fan_in))


@pitfall(replaces="he_normal", why="fan_out mode: σ = √(2/fan_out)")
def he_fan_out(fan_in: int, fan_out: int, rng: np.random.Generator) -> np.ndarray:
    return rng.normal(0.0, np.sqrt(2.0 / fan_out), size=(fan_out, fan_in))


@pitfall(replaces="he_normal", why="σ = √(1/fan_in) (LeCun), forgetting ReLU's factor 2")
def he_without_two(fan_in: int, fan_out: int, rng: np.random.Generator) -> np.ndarray:
    return rng.normal(0.0, np.sqrt(1.0 / fan_in), size=(fan_out, fan_in))


@pitfall(replaces="he_normal", why="draws from the global np.random state instead of rng")
def he_global_rng(fan_in: int, fan_out: int, rng: np.random.Generator) -> np.ndarray:
    return np.random.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_out, fan_in))


@pitfall(replaces="layer_second_moments", why="records the post-activation mean square f(a)² instead of a²")
def post_activation_moments(x: np.ndarray, weights: list[np.ndarray], activation: str) -> np.ndarray:
    if activation not in ACTIVATIONS:
        raise ValueError(activation)
    f, h, q = ACTIVATIONS[activation], x, []
    for W in weights:
        h = f(h @ W.T)
        q.append(np.mean(h * h))
    return np.array(q)


@pitfall(replaces="layer_second_moments", why="applies the activation to the input x too")
def activation_on_input(x: np.ndarray, weights: list[np.ndarray], activation: str) -> np.ndarray:
    if activation not in ACTIVATIONS:
        raise ValueError(activation)
    f, h, q = ACTIVATIONS[activation], x, []
    for W in weights:
        a = f(h) @ W.T
        q.append(np.mean(a * a))
        h = a
    return np.array(q)


@pitfall(replaces="layer_second_moments", why="measures the variance (mean removed), not the second moment")
def variance_not_moment(x: np.ndarray, weights: list[np.ndarray], activation: str) -> np.ndarray:
    if activation not in ACTIVATIONS:
        raise ValueError(activation)
    f, h, q = ACTIVATIONS[activation], x, []
    for i, W in enumerate(weights):
        a = h @ W.T
        q.append(np.var(a))
        if i + 1 < len(weights):
            h = f(a)
    return np.array(q)


@pitfall(replaces="predicted_second_moments", why="forgets ReLU's factor 1/2")
def predicted_no_half(q0: float, fan_ins: list[int], weight_vars: list[float], activation: str) -> np.ndarray:
    if activation not in ("linear", "relu"):
        raise ValueError(activation)
    q, out = q0, []
    for n, v in zip(fan_ins, weight_vars, strict=True):
        q = n * v * q
        out.append(q)
    return np.array(out)


@pitfall(replaces="predicted_second_moments", why="halves for ReLU in the first layer too, as if x had passed through a ReLU")
def predicted_half_on_input(q0: float, fan_ins: list[int], weight_vars: list[float], activation: str) -> np.ndarray:
    if activation not in ("linear", "relu"):
        raise ValueError(activation)
    keep = 1.0 if activation == "linear" else 0.5
    q, out = q0, []
    for n, v in zip(fan_ins, weight_vars, strict=True):
        q = n * v * keep * q
        out.append(q)
    return np.array(out)
