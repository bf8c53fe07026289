"""arch-06-8: 3-D convolution and divided space-time attention. Edit this file; `grader check arch-06-8` tests it."""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F  # noqa: F401  (F.pad)


def conv3d(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor | None = None, stride: int = 1,
           padding: int = 0) -> torch.Tensor:
    """3-D cross-correlation over (time, height, width), as torch.nn.functional.conv3d (groups = 1).

    Zero padding of `padding` on both sides of each of the three axes, the same stride on each;
    out[b, o, t, i, j] = bias[o] + sum_{c, u, v, w} weight[o, c, u, v, w] x_pad[b, c, t s + u, i s + v, j s + w].
    Do not call F.conv3d (F.pad is fine).

    Shapes:
        x: (B, C, T, H, W)     weight: (O, C, kt, kh, kw)     bias: (O,) or None
        returns: (B, O, (T + 2p - kt) // s + 1, (H + 2p - kh) // s + 1, (W + 2p - kw) // s + 1)

    Raises:
        ValueError: if stride < 1 or padding < 0.
    """
    raise NotImplementedError("conv3d")


def attend(x: torch.Tensor, wq: torch.Tensor, wk: torch.Tensor, wv: torch.Tensor) -> torch.Tensor:
    """Single-head softmax attention over the second-to-last axis: (..., L, D) -> (..., L, D)."""
    q, k, v = x @ wq, x @ wk, x @ wv
    return torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(q.shape[-1]), dim=-1) @ v


def divided_attention(x: torch.Tensor, time_w: tuple[torch.Tensor, ...],
                      space_w: tuple[torch.Tensor, ...]) -> torch.Tensor:
    """TimeSformer's divided space-time attention (no layer norm, no MLP), with residuals:

        x' = x + temporal attention (each spatial patch n attends over the T frames at that patch)
        y  = x' + spatial attention (each frame t attends over its N patches)

    using the given attend() with time_w = (wq, wk, wv) and space_w = (wq, wk, wv).

    Shapes:
        x: (B, T, N, D)     each weight: (D, D)     returns: (B, T, N, D)
    """
    raise NotImplementedError("divided_attention")
