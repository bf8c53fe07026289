"""dl-01-5: Xavier and He initialisation, and activation variance through depth.
Edit this file; `grader check dl-01-5` tests it.

Weights use torch.nn.Linear's layout, (fan_out, fan_in), and are float64. Randomness comes only
from the numpy Generator passed in.
"""
from __future__ import annotations

import numpy as np


def xavier_uniform(fan_in: int, fan_out: int, rng: np.random.Generator, gain: float = 1.0) -> np.ndarray:
    """Glorot uniform: U(−a, a) with a = gain · √(6 / (fan_in + fan_out)), so Var = gain² · 2 / (fan_in + fan_out).

    Shapes:
        returns: (fan_out, fan_in) float64
    """
    raise NotImplementedError("xavier_uniform: the bound a, then rng.uniform(-a, a, ...)")


def xavier_normal(fan_in: int, fan_out: int, rng: np.random.Generator, gain: float = 1.0) -> np.ndarray:
    """Glorot normal: N(0, σ²) with σ = gain · √(2 / (fan_in + fan_out)).

    Shapes:
        returns: (fan_out, fan_in) float64
    """
    raise NotImplementedError("xavier_normal: σ, then rng.normal(0, σ, ...)")


def he_normal(fan_in: int, fan_out: int, rng: np.random.Generator) -> np.ndarray:
    """He (Kaiming) normal for ReLU layers, fan_in mode: N(0, σ²) with σ = √(2 / fan_in).

    Shapes:
        returns: (fan_out, fan_in) float64
    """
    raise NotImplementedError("he_normal: σ = sqrt(2 / fan_in)")


def layer_second_moments(x: np.ndarray, weights: list[np.ndarray], activation: str) -> np.ndarray:
    """Push x through bias-free layers and record the mean square of every layer's pre-activation.

        a_1 = x W_1ᵀ,   a_l = f(a_{l−1}) W_lᵀ (l ≥ 2),   q_l = mean over all entries of a_l²

    f is applied between layers only (not to x, not after the last layer). activation is "linear"
    (f(a) = a), "relu" or "tanh". x and the weights are not modified.

    Shapes:
        x: (n, d_0); weights[l]: (d_{l+1}, d_l), float32 or float64
        returns: (L,) float64 (also for float32 inputs), L = len(weights)

    Raises:
        ValueError: for any other activation.
    """
    raise NotImplementedError("layer_second_moments: a forward pass that keeps mean(a**2) per layer")


def predicted_second_moments(q0: float, fan_ins: list[int], weight_vars: list[float], activation: str) -> np.ndarray:
    """The mean-field prediction of layer_second_moments for weights with i.i.d. zero-mean entries.

    With q0 = E[x²] and weight variance σ_l² in layer l (fan-in n_l):

        q_1 = n_1 σ_1² q0,      q_l = n_l σ_l² E[f(a)²]  with  E[f(a)²] = q_{l−1} ("linear"), q_{l−1}/2 ("relu")

    (the ReLU of a symmetric a keeps half of its second moment).

    Shapes:
        fan_ins, weight_vars: length L
        returns: (L,) float64

    Raises:
        ValueError: for an activation other than "linear" and "relu" (tanh has no closed form).
    """
    raise NotImplementedError("predicted_second_moments: the recursion above")
