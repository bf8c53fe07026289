"""Reference solution for arch-04-4."""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


def causal_mask(kernel_size: int, mask_type: str) -> torch.Tensor:
    if kernel_size % 2 == 0 or kernel_size < 1:
        raise ValueError("kernel_size must be odd and positive")
    if mask_type not in ("A", "B"):
        raise ValueError("mask_type must be 'A' or 'B'")
    c = kernel_size // 2
    mask = torch.zeros(kernel_size, kernel_size)
    mask[:c, :] = 1.0
    mask[c, :c] = 1.0
    if mask_type == "B":
        mask[c, c] = 1.0
    return mask


class MaskedConv2d(nn.Conv2d):
    """A same-padded convolution whose kernel only sees pixels before the centre in raster order."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int, mask_type: str) -> None:
        super().__init__(in_channels, out_channels, kernel_size, padding=kernel_size // 2)
        self.register_buffer("mask", causal_mask(kernel_size, mask_type))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.conv2d(x, self.weight * self.mask, self.bias, padding=self.padding)


def dependency_map(model: nn.Module, in_channels: int, height: int, width: int, i: int, j: int,
                   seed: int = 0) -> torch.Tensor:
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(in_channels, height, width, generator=g, dtype=torch.float64, requires_grad=True)
    out = model(x.unsqueeze(0)).squeeze(0)[:, i, j]
    (grad,) = torch.autograd.grad(out, x, grad_outputs=torch.ones_like(out))
    return (grad != 0).any(dim=0)
