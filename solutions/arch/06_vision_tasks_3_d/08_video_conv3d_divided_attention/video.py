"""Reference solution for arch-06-8."""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F


def conv3d(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor | None = None, stride: int = 1,
           padding: int = 0) -> torch.Tensor:
    if stride < 1 or padding < 0:
        raise ValueError("stride must be >= 1 and padding >= 0")
    kt, kh, kw = weight.shape[2:]
    xp = F.pad(x, (padding,) * 6)
    patches = xp.unfold(2, kt, stride).unfold(3, kh, stride).unfold(4, kw, stride)   # (B, C, T', H', W', kt, kh, kw)
    out = torch.einsum("bcthwijk,ocijk->bothw", patches, weight)
    return out if bias is None else out + bias[None, :, None, None, None]


def attend(x: torch.Tensor, wq: torch.Tensor, wk: torch.Tensor, wv: torch.Tensor) -> torch.Tensor:
    """Single-head softmax attention over the second-to-last axis: (..., L, D) -> (..., L, D)."""
    q, k, v = x @ wq, x @ wk, x @ wv
    return torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(q.shape[-1]), dim=-1) @ v


def divided_attention(x: torch.Tensor, time_w: tuple[torch.Tensor, ...],
                      space_w: tuple[torch.Tensor, ...]) -> torch.Tensor:
    x = x + attend(x.transpose(1, 2), *time_w).transpose(1, 2)     # (B, N, T, D): each patch over time
    return x + attend(x, *space_w)                                # (B, T, N, D): each frame over space
