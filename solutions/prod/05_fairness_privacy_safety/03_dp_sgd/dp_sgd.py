"""Reference solution for prod-05-3."""
from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import torch
from torch import nn
from torch.func import functional_call, grad, vmap


def per_sample_grads(model: nn.Module, loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
                     x: torch.Tensor, y: torch.Tensor) -> dict[str, torch.Tensor]:
    params = {name: p.detach() for name, p in model.named_parameters()}

    def loss_of_one(p: dict[str, torch.Tensor], xi: torch.Tensor, yi: torch.Tensor) -> torch.Tensor:
        return loss_fn(functional_call(model, p, (xi[None],)), yi[None])

    return vmap(grad(loss_of_one), in_dims=(None, 0, 0))(params, x, y)


def clip_and_noise(grads: dict[str, torch.Tensor], max_norm: float, noise_multiplier: float,
                   generator: torch.Generator) -> dict[str, torch.Tensor]:
    if max_norm <= 0 or noise_multiplier < 0:
        raise ValueError(f"need max_norm > 0 and noise_multiplier >= 0, got {max_norm}, {noise_multiplier}")
    n = next(iter(grads.values())).shape[0]
    norms = torch.sqrt(sum(g.reshape(n, -1).pow(2).sum(dim=1) for g in grads.values()))
    factor = (max_norm / (norms + 1e-6)).clamp(max=1.0)
    out = {}
    for name, g in grads.items():
        summed = torch.einsum("n,n...->...", factor.to(g.dtype), g)
        noise = torch.randn(summed.shape, generator=generator, dtype=g.dtype) * (noise_multiplier * max_norm)
        out[name] = (summed + noise) / n
    return out


def dp_sgd_step(model: nn.Module, loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor], x: torch.Tensor,
                y: torch.Tensor, lr: float, max_norm: float, noise_multiplier: float,
                generator: torch.Generator) -> None:
    noisy = clip_and_noise(per_sample_grads(model, loss_fn, x, y), max_norm, noise_multiplier, generator)
    with torch.no_grad():
        for name, p in model.named_parameters():
            p -= lr * noisy[name]


def gaussian_rdp(noise_multiplier: float, steps: int, orders: np.ndarray) -> np.ndarray:
    if noise_multiplier <= 0 or steps < 0:
        raise ValueError(f"need noise_multiplier > 0 and steps >= 0, got {noise_multiplier}, {steps}")
    orders = np.asarray(orders, dtype=np.float64)
    if np.any(orders <= 1):
        raise ValueError("every order must be > 1")
    return steps * orders / (2 * noise_multiplier**2)


def rdp_to_epsilon(rdp: np.ndarray, orders: np.ndarray, delta: float) -> tuple[float, float]:
    if not 0 < delta < 1:
        raise ValueError(f"delta must be in (0, 1), got {delta}")
    rdp, orders = np.asarray(rdp, dtype=np.float64), np.asarray(orders, dtype=np.float64)
    eps = rdp + math.log(1 / delta) / (orders - 1)
    best = int(np.argmin(eps))
    return float(eps[best]), float(orders[best])
