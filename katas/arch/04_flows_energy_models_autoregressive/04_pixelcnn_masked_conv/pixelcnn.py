"""arch-04-4: PixelCNN masked convolutions. Edit this file; `grader check arch-04-4` tests it."""
from __future__ import annotations

import torch
import torch.nn.functional as F  # noqa: F401
from torch import nn


def causal_mask(kernel_size: int, mask_type: str) -> torch.Tensor:
    """The PixelCNN kernel mask: 1 where the kernel may look, 0 elsewhere (float32).

    With c = kernel_size // 2 (the centre): every row above the centre is 1; in the centre row
    the columns left of the centre are 1; the centre itself is 1 for type "B" and 0 for type
    "A"; everything right of the centre in its row and every row below is 0. The same mask
    applies to every (out, in) channel pair.

    Shapes:
        returns: (kernel_size, kernel_size)

    Raises:
        ValueError: if kernel_size is even or not positive, or mask_type is not "A" or "B".
    """
    raise NotImplementedError("causal_mask")


class MaskedConv2d(nn.Conv2d):
    """A same-padded convolution whose kernel only sees pixels before the centre in raster order."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size: int, mask_type: str) -> None:
        super().__init__(in_channels, out_channels, kernel_size, padding=kernel_size // 2)
        self.register_buffer("mask", causal_mask(kernel_size, mask_type))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """The convolution with weight * mask (same padding, with the bias).

        The masked weights must get zero gradient, so training cannot leak the future in.

        Shapes:
            x: (B, in_channels, H, W)     returns: (B, out_channels, H, W)
        """
        raise NotImplementedError("MaskedConv2d.forward")


def dependency_map(model: nn.Module, in_channels: int, height: int, width: int, i: int, j: int,
                   seed: int = 0) -> torch.Tensor:
    """Which input pixels the output at (i, j) depends on, found with gradients.

    Feed one random float64 image (torch.Generator seeded with `seed`, standard normal) of shape
    (1, in_channels, height, width), backpropagate the sum over channels of the output at (i, j),
    and mark the pixels whose input gradient is non-zero in any channel. The model must be float64.

    Shapes:
        returns: (height, width) bool
    """
    raise NotImplementedError("dependency_map")
