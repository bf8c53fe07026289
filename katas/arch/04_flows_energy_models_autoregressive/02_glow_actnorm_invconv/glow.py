"""arch-04-2: Glow's ActNorm and invertible 1x1 convolution. Edit this file; `grader check arch-04-2` tests it."""
from __future__ import annotations

import torch
import torch.nn.functional as F  # noqa: F401
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
        """y = (x + loc) * exp(log_scale) per channel, and log|det dy/dx| per sample.

        Data-dependent initialisation: if `initialized` is False, first set (without gradient)
        loc = -mean and log_scale = -log(std + EPS), with the mean and the population std (divide by
        the count, not count - 1) of each channel over batch and space, then set `initialized`; so
        the first batch comes out with zero mean and unit variance per channel. Later calls use
        the stored parameters. The input is left unchanged.

        Shapes:
            x: (B, C, H, W)     returns: y (B, C, H, W), log_det (B,) = H * W * sum(log_scale)
        """
        raise NotImplementedError("ActNorm.forward")

    def inverse(self, y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """x = y * exp(-log_scale) - loc, and log|det dx/dy| per sample (never initialises).

        Shapes:
            y: (B, C, H, W)     returns: x (B, C, H, W), log_det (B,)
        """
        raise NotImplementedError("ActNorm.inverse")


class InvConv1x1(nn.Module):
    """Glow's invertible 1x1 convolution: y[:, :, i, j] = W @ x[:, :, i, j]."""

    def __init__(self, num_channels: int, generator: torch.Generator | None = None) -> None:
        super().__init__()
        w = torch.linalg.qr(torch.randn(num_channels, num_channels, generator=generator))[0]
        self.weight = nn.Parameter(w)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Mix channels at every pixel with W, and log|det dy/dx| = H * W * log|det W| per sample.

        W starts orthogonal but training moves it: do not assume W^-1 = W^T anywhere.

        Shapes:
            x: (B, C, H, W)     returns: y (B, C, H, W), log_det (B,)
        """
        raise NotImplementedError("InvConv1x1.forward")

    def inverse(self, y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """Mix channels with W^-1, and log|det dx/dy| per sample.

        Shapes:
            y: (B, C, H, W)     returns: x (B, C, H, W), log_det (B,)
        """
        raise NotImplementedError("InvConv1x1.inverse")
