"""Plausible wrong DP-SGD implementations that the tests must reject."""
from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np
import torch
from torch import nn

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from dp_sgd import clip_and_noise, per_sample_grads


@pitfall(replaces="per_sample_grads", why="the batch gradient copied to every example instead of each example's own")
def batch_gradient(model: nn.Module, loss_fn: Callable, x: torch.Tensor, y: torch.Tensor) -> dict[str, torch.Tensor]:
    names = [name for name, _ in model.named_parameters()]
    grads = torch.autograd.grad(loss_fn(model(x), y), list(model.parameters()))
    return {name: g.detach().expand(x.shape[0], *g.shape).clone() for name, g in zip(names, grads, strict=True)}


def _check(max_norm: float, noise_multiplier: float) -> None:
    if max_norm <= 0 or noise_multiplier < 0:
        raise ValueError("bad clip or noise")


@pitfall(replaces="clip_and_noise", why="clips every parameter tensor to max_norm separately instead of the whole per-example gradient")
def per_layer_clipping(grads: dict[str, torch.Tensor], max_norm: float, noise_multiplier: float,
                       generator: torch.Generator) -> dict[str, torch.Tensor]:
    _check(max_norm, noise_multiplier)
    out = {}
    for name, g in grads.items():
        n = g.shape[0]
        factor = (max_norm / (g.reshape(n, -1).norm(dim=1) + 1e-6)).clamp(max=1.0)
        noise = torch.randn(g.shape[1:], generator=generator, dtype=g.dtype) * noise_multiplier * max_norm
        out[name] = (torch.einsum("n,n...->...", factor, g) + noise) / n
    return out


@pitfall(replaces="clip_and_noise", why="clips the averaged batch gradient, not each example: one outlier is not bounded")
def clip_the_mean(grads: dict[str, torch.Tensor], max_norm: float, noise_multiplier: float,
                  generator: torch.Generator) -> dict[str, torch.Tensor]:
    _check(max_norm, noise_multiplier)
    n = next(iter(grads.values())).shape[0]
    mean = {name: g.mean(dim=0) for name, g in grads.items()}
    norm = math.sqrt(sum(float(m.pow(2).sum()) for m in mean.values()))
    factor = min(1.0, max_norm / (norm + 1e-6))
    return {name: m * factor + torch.randn(m.shape, generator=generator, dtype=m.dtype) * noise_multiplier * max_norm / n
            for name, m in mean.items()}


@pitfall(replaces="clip_and_noise", why="noise with standard deviation noise_multiplier, forgetting the factor max_norm")
def noise_without_max_norm(grads: dict[str, torch.Tensor], max_norm: float, noise_multiplier: float,
                           generator: torch.Generator) -> dict[str, torch.Tensor]:
    _check(max_norm, noise_multiplier)
    n = next(iter(grads.values())).shape[0]
    norms = torch.sqrt(sum(g.reshape(n, -1).pow(2).sum(dim=1) for g in grads.values()))
    factor = (max_norm / (norms + 1e-6)).clamp(max=1.0)
    return {name: (torch.einsum("n,n...->...", factor, g)
                   + torch.randn(g.shape[1:], generator=generator, dtype=g.dtype) * noise_multiplier) / n
            for name, g in grads.items()}


@pitfall(replaces="clip_and_noise", why="adds noise to every example before summing: standard deviation sqrt(n) times too large")
def noise_per_example(grads: dict[str, torch.Tensor], max_norm: float, noise_multiplier: float,
                      generator: torch.Generator) -> dict[str, torch.Tensor]:
    _check(max_norm, noise_multiplier)
    n = next(iter(grads.values())).shape[0]
    norms = torch.sqrt(sum(g.reshape(n, -1).pow(2).sum(dim=1) for g in grads.values()))
    factor = (max_norm / (norms + 1e-6)).clamp(max=1.0)
    return {name: (torch.einsum("n,n...->...", factor, g)
                   + torch.randn(g.shape, generator=generator, dtype=g.dtype).sum(dim=0) * noise_multiplier * max_norm) / n
            for name, g in grads.items()}


@pitfall(replaces="dp_sgd_step", why="steps up the gradient (p += lr * g)")
def ascent(model: nn.Module, loss_fn: Callable, x: torch.Tensor, y: torch.Tensor, lr: float, max_norm: float,
           noise_multiplier: float, generator: torch.Generator) -> None:
    noisy = clip_and_noise(per_sample_grads(model, loss_fn, x, y), max_norm, noise_multiplier, generator)
    with torch.no_grad():
        for name, p in model.named_parameters():
            p += lr * noisy[name]


@pitfall(replaces="gaussian_rdp", why="alpha / sigma^2 per step: the factor 1/2 of the Gaussian mechanism's RDP is lost")
def rdp_without_half(noise_multiplier: float, steps: int, orders: np.ndarray) -> np.ndarray:
    orders = np.asarray(orders, dtype=np.float64)
    if noise_multiplier <= 0 or steps < 0 or np.any(orders <= 1):
        raise ValueError("bad arguments")
    return steps * orders / noise_multiplier**2


@pitfall(replaces="rdp_to_epsilon", why="log(1/delta) / alpha instead of / (alpha - 1)")
def conversion_off_by_one(rdp: np.ndarray, orders: np.ndarray, delta: float) -> tuple[float, float]:
    if not 0 < delta < 1:
        raise ValueError("delta")
    eps = np.asarray(rdp) + math.log(1 / delta) / np.asarray(orders)
    best = int(np.argmin(eps))
    return float(eps[best]), float(orders[best])
