"""Plausible wrong 3-D convolutions and divided attention blocks that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import torch
import torch.nn.functional as F

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from video import attend


@pitfall(replaces="conv3d", why="flips the kernel (a true convolution), unlike torch's cross-correlation")
def flipped_kernel(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor | None = None, stride: int = 1,
                   padding: int = 0) -> torch.Tensor:
    if stride < 1 or padding < 0:
        raise ValueError("bad arguments")
    w = weight.flip(2, 3, 4)
    kt, kh, kw = w.shape[2:]
    p = F.pad(x, (padding,) * 6).unfold(2, kt, stride).unfold(3, kh, stride).unfold(4, kw, stride)
    out = torch.einsum("bcthwijk,ocijk->bothw", p, w)
    return out if bias is None else out + bias[None, :, None, None, None]


@pitfall(replaces="conv3d", why="pads only the spatial axes, not time")
def no_time_padding(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor | None = None, stride: int = 1,
                    padding: int = 0) -> torch.Tensor:
    if stride < 1 or padding < 0:
        raise ValueError("bad arguments")
    kt, kh, kw = weight.shape[2:]
    p = F.pad(x, (padding,) * 4).unfold(2, kt, stride).unfold(3, kh, stride).unfold(4, kw, stride)
    out = torch.einsum("bcthwijk,ocijk->bothw", p, weight)
    return out if bias is None else out + bias[None, :, None, None, None]


@pitfall(replaces="conv3d", why="strides only in space: every frame position is kept")
def stride_space_only(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor | None = None, stride: int = 1,
                      padding: int = 0) -> torch.Tensor:
    if stride < 1 or padding < 0:
        raise ValueError("bad arguments")
    kt, kh, kw = weight.shape[2:]
    p = F.pad(x, (padding,) * 6).unfold(2, kt, 1).unfold(3, kh, stride).unfold(4, kw, stride)
    out = torch.einsum("bcthwijk,ocijk->bothw", p, weight)
    return out if bias is None else out + bias[None, :, None, None, None]


@pitfall(replaces="divided_attention", why="space first, then time")
def space_then_time(x: torch.Tensor, time_w: tuple[torch.Tensor, ...], space_w: tuple[torch.Tensor, ...]) -> torch.Tensor:
    x = x + attend(x, *space_w)
    return x + attend(x.transpose(1, 2), *time_w).transpose(1, 2)


@pitfall(replaces="divided_attention", why="the temporal step attends over patches (forgets to transpose)")
def time_step_over_patches(x: torch.Tensor, time_w: tuple[torch.Tensor, ...],
                           space_w: tuple[torch.Tensor, ...]) -> torch.Tensor:
    x = x + attend(x, *time_w)
    return x + attend(x, *space_w)


@pitfall(replaces="divided_attention", why="no residual around the temporal step")
def no_time_residual(x: torch.Tensor, time_w: tuple[torch.Tensor, ...], space_w: tuple[torch.Tensor, ...]) -> torch.Tensor:
    x = attend(x.transpose(1, 2), *time_w).transpose(1, 2)
    return x + attend(x, *space_w)
