"""arch-04-1: RealNVP affine coupling. Edit this file; `grader check arch-04-1` tests it."""
from __future__ import annotations

import math  # noqa: F401  (log 2 pi for the base density)

import torch
from torch import nn


class AffineCoupling(nn.Module):
    """RealNVP affine coupling layer; dimensions with mask = 1 pass through and condition the rest."""

    def __init__(self, mask: torch.Tensor, hidden: int = 16) -> None:
        super().__init__()
        self.register_buffer("mask", mask.to(torch.get_default_dtype()))
        d = mask.numel()
        self.net = nn.Sequential(nn.Linear(d, hidden), nn.Tanh(), nn.Linear(hidden, 2 * d))

    def scale_shift(self, x_masked: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(s, t) for the conditioning input x * mask; s is squashed by tanh for stability."""
        s, t = self.net(x_masked).chunk(2, dim=-1)
        return torch.tanh(s), t

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """y = x on the masked dimensions, y = x * exp(s) + t on the others, (s, t) = scale_shift(x * mask).

        Returns y and log|det dy/dx| per sample (the sum of s over the unmasked dimensions).

        Shapes:
            x: (B, D)     returns: y (B, D), log_det (B,)
        """
        raise NotImplementedError("AffineCoupling.forward")

    def inverse(self, y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """The exact inverse of forward: x with forward(x)[0] == y, and log|det dx/dy| per sample.

        Shapes:
            y: (B, D)     returns: x (B, D), log_det (B,)
        """
        raise NotImplementedError("AffineCoupling.inverse")


def flow_log_prob(layers: list[AffineCoupling], x: torch.Tensor) -> torch.Tensor:
    """log p(x) of the flow z = layers[-1](...layers[0](x)) with a standard-normal base density.

    log p(x) = log N(z; 0, I) + sum of the layers' forward log-determinants. Differentiable in
    the layers' parameters.

    Shapes:
        x: (B, D)     returns: (B,)
    """
    raise NotImplementedError("flow_log_prob: change of variables")


def flow_inverse(layers: list[AffineCoupling], z: torch.Tensor) -> torch.Tensor:
    """Map base samples back to data space: undo the layers in reverse order.

    Shapes:
        z: (B, D)     returns: (B, D)
    """
    raise NotImplementedError("flow_inverse")
