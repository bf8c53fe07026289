"""Plausible wrong PixelCNN masks, layers and dependency maps that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import torch
import torch.nn.functional as F
from torch import nn

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from pixelcnn import MaskedConv2d


def _validate(kernel_size: int, mask_type: str) -> int:
    if kernel_size % 2 == 0 or kernel_size < 1 or mask_type not in ("A", "B"):
        raise ValueError("bad arguments")
    return kernel_size // 2


@pitfall(replaces="causal_mask", why="type A keeps the centre too (A and B identical): the model sees its target")
def centre_always_on(kernel_size: int, mask_type: str) -> torch.Tensor:
    c = _validate(kernel_size, mask_type)
    mask = torch.zeros(kernel_size, kernel_size)
    mask[:c, :] = 1.0
    mask[c, : c + 1] = 1.0
    return mask


@pitfall(replaces="causal_mask", why="keeps the whole centre row, right of the centre included")
def whole_centre_row(kernel_size: int, mask_type: str) -> torch.Tensor:
    c = _validate(kernel_size, mask_type)
    mask = torch.zeros(kernel_size, kernel_size)
    mask[:c, :] = 1.0
    mask[c, :] = 1.0
    if mask_type == "A":
        mask[c, c] = 0.0
    return mask


@pitfall(replaces="causal_mask", why="drops the centre row entirely: only the rows above are visible")
def rows_above_only(kernel_size: int, mask_type: str) -> torch.Tensor:
    c = _validate(kernel_size, mask_type)
    mask = torch.zeros(kernel_size, kernel_size)
    mask[:c, :] = 1.0
    if mask_type == "B":
        mask[c, c] = 1.0
    return mask


@pitfall(replaces="MaskedConv2d.forward", why="masks the weight in place once at the first call: gradients still reach masked weights")
def mask_weight_in_place(self: MaskedConv2d, x: torch.Tensor) -> torch.Tensor:
    with torch.no_grad():
        self.weight.mul_(self.mask)
    return F.conv2d(x, self.weight, self.bias, padding=self.padding)


@pitfall(replaces="MaskedConv2d.forward", why="forgets the bias")
def no_bias(self: MaskedConv2d, x: torch.Tensor) -> torch.Tensor:
    return F.conv2d(x, self.weight * self.mask, None, padding=self.padding)


@pitfall(replaces="dependency_map", why="backpropagates the sum of all outputs instead of the one pixel (i, j)")
def all_outputs(model: nn.Module, in_channels: int, height: int, width: int, i: int, j: int,
                seed: int = 0) -> torch.Tensor:
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(1, in_channels, height, width, generator=g, dtype=torch.float64).requires_grad_()
    model(x).sum().backward()
    return x.grad[0].abs().sum(dim=0) > 0


@pitfall(replaces="dependency_map", why="probes with an all-zero image: products of inputs give zero gradients")
def zero_image(model: nn.Module, in_channels: int, height: int, width: int, i: int, j: int,
               seed: int = 0) -> torch.Tensor:
    x = torch.zeros(1, in_channels, height, width, dtype=torch.float64, requires_grad=True)
    model(x)[0, :, i, j].sum().backward()
    return x.grad[0].abs().sum(dim=0) > 0


@pitfall(replaces="dependency_map", why="reads the gradient of channel 0 only")
def first_channel_only(model: nn.Module, in_channels: int, height: int, width: int, i: int, j: int,
                       seed: int = 0) -> torch.Tensor:
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(1, in_channels, height, width, generator=g, dtype=torch.float64).requires_grad_()
    model(x)[0, :, i, j].sum().backward()
    return x.grad[0, 0].abs() > 0
