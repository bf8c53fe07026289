"""Plausible wrong Langevin samplers and contrastive-divergence updates that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import torch
from torch import nn

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from ebm_cd import EnergyFn, cd_loss, langevin_sample


def _check(step_size: float, n_steps: int) -> None:
    if step_size <= 0 or n_steps < 0:
        raise ValueError("bad arguments")


@pitfall(replaces="langevin_sample", why="x + step/2 * grad E: climbs the energy instead of descending it")
def ascends_energy(energy: EnergyFn, x_init: torch.Tensor, step_size: float, n_steps: int, seed: int) -> torch.Tensor:
    _check(step_size, n_steps)
    g = torch.Generator().manual_seed(seed)
    x = x_init.detach().clone()
    for _ in range(n_steps):
        x.requires_grad_(True)
        (grad,) = torch.autograd.grad(energy(x).sum(), x)
        x = (x + 0.5 * step_size * grad + step_size ** 0.5 * torch.randn(x.shape, generator=g, dtype=x.dtype)).detach()
    return x


@pitfall(replaces="langevin_sample", why="noise sqrt(2 * step) with drift step / 2: samples a hotter distribution")
def too_much_noise(energy: EnergyFn, x_init: torch.Tensor, step_size: float, n_steps: int, seed: int) -> torch.Tensor:
    _check(step_size, n_steps)
    g = torch.Generator().manual_seed(seed)
    x = x_init.detach().clone()
    for _ in range(n_steps):
        x.requires_grad_(True)
        (grad,) = torch.autograd.grad(energy(x).sum(), x)
        x = (x - 0.5 * step_size * grad + (2 * step_size) ** 0.5
             * torch.randn(x.shape, generator=g, dtype=x.dtype)).detach()
    return x


@pitfall(replaces="langevin_sample", why="energy(x).sum().backward() to get grad_x: also fills the parameters' .grad")
def backward_for_grad(energy: EnergyFn, x_init: torch.Tensor, step_size: float, n_steps: int,
                      seed: int) -> torch.Tensor:
    _check(step_size, n_steps)
    g = torch.Generator().manual_seed(seed)
    x = x_init.detach().clone()
    for _ in range(n_steps):
        x.requires_grad_(True)
        energy(x).sum().backward()
        x = (x - 0.5 * step_size * x.grad + step_size ** 0.5 * torch.randn(x.shape, generator=g, dtype=x.dtype)).detach()
    return x


@pitfall(replaces="langevin_sample", why="draws the noise from torch's global generator")
def global_rng(energy: EnergyFn, x_init: torch.Tensor, step_size: float, n_steps: int, seed: int) -> torch.Tensor:
    _check(step_size, n_steps)
    x = x_init.detach().clone()
    for _ in range(n_steps):
        x.requires_grad_(True)
        (grad,) = torch.autograd.grad(energy(x).sum(), x)
        x = (x - 0.5 * step_size * grad + step_size ** 0.5 * torch.randn(x.shape, dtype=x.dtype)).detach()
    return x


@pitfall(replaces="langevin_sample", why="updates x_init in place (x = x_init, then x -= ...)")
def in_place(energy: EnergyFn, x_init: torch.Tensor, step_size: float, n_steps: int, seed: int) -> torch.Tensor:
    _check(step_size, n_steps)
    g = torch.Generator().manual_seed(seed)
    x = x_init
    for _ in range(n_steps):
        xg = x.detach().requires_grad_(True)
        (grad,) = torch.autograd.grad(energy(xg).sum(), xg)
        with torch.no_grad():
            x -= 0.5 * step_size * grad - step_size ** 0.5 * torch.randn(x.shape, generator=g, dtype=x.dtype)
    return x


@pitfall(replaces="cd_loss", why="mean(e_neg) - mean(e_pos): raises the energy of the data")
def sign_flipped(energy: EnergyFn, x_data: torch.Tensor, x_model: torch.Tensor, alpha: float = 0.0) -> torch.Tensor:
    e_pos, e_neg = energy(x_data), energy(x_model.detach())
    return e_neg.mean() - e_pos.mean() + alpha * ((e_pos ** 2).mean() + (e_neg ** 2).mean())


@pitfall(replaces="cd_loss", why="does not detach x_model: gradients flow back into the samples")
def not_detached(energy: EnergyFn, x_data: torch.Tensor, x_model: torch.Tensor, alpha: float = 0.0) -> torch.Tensor:
    e_pos, e_neg = energy(x_data), energy(x_model)
    return e_pos.mean() - e_neg.mean() + alpha * ((e_pos ** 2).mean() + (e_neg ** 2).mean())


@pitfall(replaces="cd_loss", why="regularises the squared mean energies, not the mean squared energies")
def squared_means(energy: EnergyFn, x_data: torch.Tensor, x_model: torch.Tensor, alpha: float = 0.0) -> torch.Tensor:
    e_pos, e_neg = energy(x_data), energy(x_model.detach())
    return e_pos.mean() - e_neg.mean() + alpha * (e_pos.mean() ** 2 + e_neg.mean() ** 2)


@pitfall(replaces="cd_loss", why="one mean over the concatenated energies: wrong weights when the batches differ")
def pooled_mean(energy: EnergyFn, x_data: torch.Tensor, x_model: torch.Tensor, alpha: float = 0.0) -> torch.Tensor:
    e_pos, e_neg = energy(x_data), energy(x_model.detach())
    signed = torch.cat([e_pos, -e_neg])
    return 2 * signed.mean() + alpha * ((e_pos ** 2).mean() + (e_neg ** 2).mean())


@pitfall(replaces="cd_step", why="never clears the gradients: they pile up across steps")
def no_zero_grad(energy: nn.Module, optimizer: torch.optim.Optimizer, x_data: torch.Tensor, step_size: float,
                 n_steps: int, seed: int, alpha: float = 0.0) -> float:
    negatives = langevin_sample(energy, x_data, step_size, n_steps, seed)
    loss = cd_loss(energy, x_data, negatives, alpha)
    loss.backward()
    optimizer.step()
    return float(loss.detach())


@pitfall(replaces="cd_step", why="starts the chains from Gaussian noise instead of the data (not CD-k)")
def chains_from_noise(energy: nn.Module, optimizer: torch.optim.Optimizer, x_data: torch.Tensor, step_size: float,
                      n_steps: int, seed: int, alpha: float = 0.0) -> float:
    start = torch.randn(x_data.shape, generator=torch.Generator().manual_seed(seed), dtype=x_data.dtype)
    negatives = langevin_sample(energy, start, step_size, n_steps, seed)
    optimizer.zero_grad()
    loss = cd_loss(energy, x_data, negatives, alpha)
    loss.backward()
    optimizer.step()
    return float(loss.detach())
