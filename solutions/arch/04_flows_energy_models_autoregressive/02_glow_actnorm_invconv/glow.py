"""Reference solution for arch-04-2."""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

EPS = 1e-6


class ActNorm(nn.Module):
    """Per-channel affine y = (x + loc) * exp(log_scale), initialised from the first batch it sees."""

    def __init__(self, num_channels: int) -> None:
        super().__init__()
        self.loc = nn.Parameter(torch.zeros(num_channels))
        self.log_scale = nn.Parameter(torch.zeros(num_channels))
        self.register_buffer("initialized", torch.tensor(False))

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        if not bool(self.initialized):
            with torch.no_grad():
                mean = x.mean(dim=(0, 2, 3))
                std = x.std(dim=(0, 2, 3), unbiased=False)
                self.loc.copy_(-mean)
                self.log_scale.copy_(-torch.log(std + EPS))
                self.initialized.fill_(True)
        y = (x + self.loc[None, :, None, None]) * torch.exp(self.log_scale)[None, :, None, None]
        h, w = x.shape[2], x.shape[3]
        return y, (h * w * self.log_scale.sum()).expand(x.shape[0])

    def inverse(self, y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        x = y * torch.exp(-self.log_scale)[None, :, None, None] - self.loc[None, :, None, None]
        h, w = y.shape[2], y.shape[3]
        return x, (-h * w * self.log_scale.sum()).expand(y.shape[0])


class InvConv1x1(nn.Module):
    """Glow's invertible 1x1 convolution: y[:, :, i, j] = W @ x[:, :, i, j]."""

    def __init__(self, num_channels: int, generator: torch.Generator | None = None) -> None:
        super().__init__()
        w = torch.linalg.qr(torch.randn(num_channels, num_channels, generator=generator))[0]
        self.weight = nn.Parameter(w)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        y = F.conv2d(x, self.weight[:, :, None, None])
        h, w = x.shape[2], x.shape[3]
        return y, (h * w * torch.linalg.slogdet(self.weight)[1]).expand(x.shape[0])

    def inverse(self, y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        x = F.conv2d(y, torch.linalg.inv(self.weight)[:, :, None, None])
        h, w = y.shape[2], y.shape[3]
        return x, (-h * w * torch.linalg.slogdet(self.weight)[1]).expand(y.shape[0])
