"""Reference solution for dl-07-2."""
from __future__ import annotations

from collections.abc import Callable

import torch

Critic = Callable[[torch.Tensor], torch.Tensor]


def interpolate(real: torch.Tensor, fake: torch.Tensor, alpha: torch.Tensor) -> torch.Tensor:
    a = alpha.reshape(-1, *([1] * (real.dim() - 1)))
    return a * real + (1 - a) * fake


def gradient_penalty(critic: Critic, real: torch.Tensor, fake: torch.Tensor, alpha: torch.Tensor,
                     lam: float = 10.0) -> torch.Tensor:
    x_hat = interpolate(real.detach(), fake.detach(), alpha).requires_grad_(True)
    scores = critic(x_hat)
    (grad,) = torch.autograd.grad(scores.sum(), x_hat, create_graph=True)
    norms = grad.reshape(len(grad), -1).norm(dim=1)
    return lam * ((norms - 1) ** 2).mean()


def critic_loss(critic: Critic, real: torch.Tensor, fake: torch.Tensor, alpha: torch.Tensor,
                lam: float = 10.0) -> torch.Tensor:
    return critic(fake).mean() - critic(real).mean() + gradient_penalty(critic, real, fake, alpha, lam)
