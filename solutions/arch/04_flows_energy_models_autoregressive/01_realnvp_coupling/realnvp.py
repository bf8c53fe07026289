"""Reference solution for arch-04-1."""
from __future__ import annotations

import math

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
        m = self.mask
        s, t = self.scale_shift(x * m)
        y = x * m + (1 - m) * (x * torch.exp(s) + t)
        return y, ((1 - m) * s).sum(dim=-1)

    def inverse(self, y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        m = self.mask
        s, t = self.scale_shift(y * m)
        x = y * m + (1 - m) * (y - t) * torch.exp(-s)
        return x, -((1 - m) * s).sum(dim=-1)


def flow_log_prob(layers: list[AffineCoupling], x: torch.Tensor) -> torch.Tensor:
    z, total = x, 0.0
    for layer in layers:
        z, log_det = layer(z)
        total = total + log_det
    return -0.5 * (z ** 2).sum(dim=-1) - 0.5 * z.shape[-1] * math.log(2 * math.pi) + total


def flow_inverse(layers: list[AffineCoupling], z: torch.Tensor) -> torch.Tensor:
    for layer in reversed(layers):
        z, _ = layer.inverse(z)
    return z
