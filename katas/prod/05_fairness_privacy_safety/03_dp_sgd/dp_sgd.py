"""prod-05-3: DP-SGD. Edit this file; `grader check prod-05-3` tests it."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch
from torch import nn


def per_sample_grads(model: nn.Module, loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
                     x: torch.Tensor, y: torch.Tensor) -> dict[str, torch.Tensor]:
    """The gradient of each example's own loss, loss_fn(model(x[i:i+1]), y[i:i+1]), for every parameter.

    Use torch.func (functional_call, grad, vmap). The model's parameters are not changed and no
    .grad is written.

    Shapes:
        x: (n, ...); y: (n, ...); returns: {parameter name: (n, *parameter.shape)}
    """
    raise NotImplementedError("per_sample_grads: vmap(grad(loss of one example))")


def clip_and_noise(grads: dict[str, torch.Tensor], max_norm: float, noise_multiplier: float,
                   generator: torch.Generator) -> dict[str, torch.Tensor]:
    """The DP-SGD gradient: clip each example's whole gradient, sum, add Gaussian noise, divide by n.

    norm_i = the L2 norm of example i's gradient over all parameters together;
    factor_i = min(1, max_norm / (norm_i + 1e-6)) (as opacus);
    out[name] = (sum_i factor_i * grads[name][i] + noise_multiplier * max_norm * z) / n, where z is
    torch.randn(parameter shape, generator=generator, dtype=the gradient's dtype), drawn for the
    parameters in the dict's order.

    Shapes:
        grads: {name: (n, *shape)}; returns: {name: shape}, the gradients' dtype

    Raises:
        ValueError: if max_norm <= 0 or noise_multiplier < 0.
    """
    raise NotImplementedError("clip_and_noise: per-example clip factors, sum, noise, average")


def dp_sgd_step(model: nn.Module, loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor], x: torch.Tensor,
                y: torch.Tensor, lr: float, max_norm: float, noise_multiplier: float,
                generator: torch.Generator) -> None:
    """One DP-SGD step in place: p <- p - lr * clip_and_noise(per_sample_grads(...))[name] for every parameter.

    Raises:
        ValueError: as clip_and_noise.
    """
    raise NotImplementedError("dp_sgd_step: per-sample gradients, clip and noise, SGD update")


def gaussian_rdp(noise_multiplier: float, steps: int, orders: np.ndarray) -> np.ndarray:
    """Renyi-DP of `steps` full-batch Gaussian-mechanism steps (sensitivity max_norm, noise
    noise_multiplier * max_norm): steps * alpha / (2 noise_multiplier**2) at each order alpha.

    Shapes:
        orders: (k,) all > 1; returns: (k,) float64

    Raises:
        ValueError: if noise_multiplier <= 0, steps < 0, or an order is <= 1.
    """
    raise NotImplementedError("gaussian_rdp: RDP composes additively over steps")


def rdp_to_epsilon(rdp: np.ndarray, orders: np.ndarray, delta: float) -> tuple[float, float]:
    """(epsilon, best order) of (epsilon, delta)-DP from RDP (Mironov 2017, proposition 3):
    epsilon = min over orders of rdp(alpha) + log(1 / delta) / (alpha - 1); on a tie, the first order.

    Shapes:
        rdp, orders: (k,)

    Raises:
        ValueError: if delta is not in (0, 1).
    """
    raise NotImplementedError("rdp_to_epsilon: convert and minimise over the orders")
