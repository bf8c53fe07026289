"""Reference solution for arch-04-3."""
from __future__ import annotations

from collections.abc import Callable

import torch
from torch import nn

EnergyFn = Callable[[torch.Tensor], torch.Tensor]


def langevin_sample(energy: EnergyFn, x_init: torch.Tensor, step_size: float, n_steps: int,
                    seed: int) -> torch.Tensor:
    if step_size <= 0 or n_steps < 0:
        raise ValueError(f"need step_size > 0 and n_steps >= 0, got {step_size=}, {n_steps=}")
    g = torch.Generator().manual_seed(seed)
    x = x_init.detach().clone()
    for _ in range(n_steps):
        x.requires_grad_(True)
        (grad,) = torch.autograd.grad(energy(x).sum(), x)
        z = torch.randn(x.shape, generator=g, dtype=x.dtype)
        x = (x - 0.5 * step_size * grad + step_size ** 0.5 * z).detach()
    return x


def cd_loss(energy: EnergyFn, x_data: torch.Tensor, x_model: torch.Tensor, alpha: float = 0.0) -> torch.Tensor:
    e_pos = energy(x_data)
    e_neg = energy(x_model.detach())
    return e_pos.mean() - e_neg.mean() + alpha * ((e_pos ** 2).mean() + (e_neg ** 2).mean())


def cd_step(energy: nn.Module, optimizer: torch.optim.Optimizer, x_data: torch.Tensor, step_size: float,
            n_steps: int, seed: int, alpha: float = 0.0) -> float:
    negatives = langevin_sample(energy, x_data, step_size, n_steps, seed)
    optimizer.zero_grad()
    loss = cd_loss(energy, x_data, negatives, alpha)
    loss.backward()
    optimizer.step()
    return float(loss.detach())
