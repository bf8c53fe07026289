"""dl-07-2: the WGAN-GP critic loss. Edit this file; `grader check dl-07-2` tests it.

critic maps a batch (N, ...) to scores (N,) or (N, 1). alpha holds one mixing weight per sample.
"""
from __future__ import annotations

from collections.abc import Callable

import torch

Critic = Callable[[torch.Tensor], torch.Tensor]


def interpolate(real: torch.Tensor, fake: torch.Tensor, alpha: torch.Tensor) -> torch.Tensor:
    """x̂_i = α_i · real_i + (1 − α_i) · fake_i, one α per sample broadcast over its other dimensions.

    Shapes:
        real, fake: (N, ...); alpha: (N,) -> (N, ...)
    """
    raise NotImplementedError("interpolate: reshape alpha to (N, 1, 1, ...) and mix")


def gradient_penalty(critic: Critic, real: torch.Tensor, fake: torch.Tensor, alpha: torch.Tensor,
                     lam: float = 10.0) -> torch.Tensor:
    """λ · mean_i (‖∇_x̂ critic(x̂)_i‖₂ − 1)² at the interpolates x̂ = interpolate(real, fake, alpha),
    the norm taken over all of a sample's dimensions. The result must be differentiable with respect
    to the critic's parameters (it is part of the critic's loss).

    Returns:
        a 0-d tensor
    """
    raise NotImplementedError("gradient_penalty: autograd.grad of critic(x̂).sum() w.r.t. x̂ with create_graph=True")


def critic_loss(critic: Critic, real: torch.Tensor, fake: torch.Tensor, alpha: torch.Tensor,
                lam: float = 10.0) -> torch.Tensor:
    """The WGAN-GP critic loss to minimise: mean critic(fake) − mean critic(real) + gradient_penalty.

    Returns:
        a 0-d tensor
    """
    raise NotImplementedError("critic_loss: the Wasserstein estimate, negated, plus the penalty")
