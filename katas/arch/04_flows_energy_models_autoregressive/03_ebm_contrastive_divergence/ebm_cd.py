"""arch-04-3: an energy-based model trained with contrastive divergence. Edit this file; `grader check arch-04-3` tests it."""
from __future__ import annotations

from collections.abc import Callable

import torch
from torch import nn

EnergyFn = Callable[[torch.Tensor], torch.Tensor]


def langevin_sample(energy: EnergyFn, x_init: torch.Tensor, step_size: float, n_steps: int,
                    seed: int) -> torch.Tensor:
    """Langevin dynamics on p(x) ∝ exp(-E(x)): n_steps of

        x <- x - step_size / 2 * grad_x E(x) + sqrt(step_size) * z

    grad_x E(x) is the gradient of energy(x).sum() with respect to x (torch.autograd.grad), and
    z = torch.randn(x.shape, generator=g, dtype=x.dtype), one draw per step from
    g = torch.Generator().manual_seed(seed).

    x_init is not modified; the result is a new tensor that never shares memory with x_init
    (n_steps = 0 returns a copy of x_init). The result does not require grad,
    and sampling leaves no gradient on the energy's parameters (their .grad stays as it was).

    Shapes:
        x_init: (B, D)     energy: (B, D) -> (B,)     returns: (B, D)

    Raises:
        ValueError: if step_size <= 0 or n_steps < 0.
    """
    raise NotImplementedError("langevin_sample")


def cd_loss(energy: EnergyFn, x_data: torch.Tensor, x_model: torch.Tensor, alpha: float = 0.0) -> torch.Tensor:
    """Contrastive-divergence loss with an energy regulariser (Du & Mordatch 2019):

        e_pos = energy(x_data),  e_neg = energy(x_model)
        loss  = mean(e_pos) - mean(e_neg) + alpha * (mean(e_pos**2) + mean(e_neg**2))

    No gradient flows into x_model (treat the samples as constants): after loss.backward(),
    x_model.grad is still None even when x_model requires grad.

    Shapes:
        x_data: (B, D)     x_model: (M, D)     returns: scalar
    """
    raise NotImplementedError("cd_loss")


def cd_step(energy: nn.Module, optimizer: torch.optim.Optimizer, x_data: torch.Tensor, step_size: float,
            n_steps: int, seed: int, alpha: float = 0.0) -> float:
    """One CD-k update of the energy's parameters:

        negatives = langevin_sample(energy, x_data, step_size, n_steps, seed)   # chains start at the data
        clear the old gradients; loss = cd_loss(energy, x_data, negatives, alpha); backward; optimizer.step()

    Returns the loss as a Python float (its value before the step).

    Shapes:
        x_data: (B, D)     energy: (B, D) -> (B,)
    """
    raise NotImplementedError("cd_step")
