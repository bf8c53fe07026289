"""Plausible wrong WGAN-GP penalties that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import torch

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from wgan_gp import Critic, gradient_penalty, interpolate


@pitfall(replaces="interpolate", why="α weights the fake instead of the real sample")
def swapped_mix(real: torch.Tensor, fake: torch.Tensor, alpha: torch.Tensor) -> torch.Tensor:
    a = alpha.reshape(-1, *([1] * (real.dim() - 1)))
    return a * fake + (1 - a) * real


def _gp(critic: Critic, real: torch.Tensor, fake: torch.Tensor, alpha: torch.Tensor, lam: float, *,
        create_graph: bool = True, global_norm: bool = False, squared: bool = False) -> torch.Tensor:
    x_hat = interpolate(real.detach(), fake.detach(), alpha).requires_grad_(True)
    (grad,) = torch.autograd.grad(critic(x_hat).sum(), x_hat, create_graph=create_graph)
    if global_norm:
        return lam * (grad.norm() - 1) ** 2
    sq = grad.reshape(len(grad), -1).pow(2).sum(dim=1)
    return lam * (((sq if squared else sq.sqrt()) - 1) ** 2).mean()


@pitfall(replaces="gradient_penalty", why="no create_graph=True: the penalty is a constant to the critic's optimiser")
def no_create_graph(critic: Critic, real: torch.Tensor, fake: torch.Tensor, alpha: torch.Tensor,
                    lam: float = 10.0) -> torch.Tensor:
    return _gp(critic, real, fake, alpha, lam, create_graph=False)


@pitfall(replaces="gradient_penalty", why="one norm over the whole batch's gradient instead of one per sample")
def batch_norm_of_gradient(critic: Critic, real: torch.Tensor, fake: torch.Tensor, alpha: torch.Tensor,
                           lam: float = 10.0) -> torch.Tensor:
    return _gp(critic, real, fake, alpha, lam, global_norm=True)


@pitfall(replaces="gradient_penalty", why="penalises (‖g‖² − 1)² (the squared norm)")
def squared_norm(critic: Critic, real: torch.Tensor, fake: torch.Tensor, alpha: torch.Tensor,
                 lam: float = 10.0) -> torch.Tensor:
    return _gp(critic, real, fake, alpha, lam, squared=True)


@pitfall(replaces="gradient_penalty", why="norm over the last axis only: an image's gradient gets one norm per row")
def last_axis_norm(critic: Critic, real: torch.Tensor, fake: torch.Tensor, alpha: torch.Tensor,
                   lam: float = 10.0) -> torch.Tensor:
    x_hat = interpolate(real.detach(), fake.detach(), alpha).requires_grad_(True)
    (grad,) = torch.autograd.grad(critic(x_hat).sum(), x_hat, create_graph=True)
    return lam * ((grad.norm(dim=-1) - 1) ** 2).mean()


@pitfall(replaces="critic_loss", why="mean critic(real) − mean critic(fake): the Wasserstein term with the wrong sign")
def wrong_sign(critic: Critic, real: torch.Tensor, fake: torch.Tensor, alpha: torch.Tensor,
               lam: float = 10.0) -> torch.Tensor:
    return critic(real).mean() - critic(fake).mean() + gradient_penalty(critic, real, fake, alpha, lam)
