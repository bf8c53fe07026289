"""Reference solution for nlp-02-3."""
from __future__ import annotations

import torch


def apply_rope(x: torch.Tensor, positions: torch.Tensor, base: float = 10000.0) -> torch.Tensor:
    d_head = x.shape[-1]
    if d_head <= 0 or d_head % 2:
        raise ValueError(f"the last axis of x must be positive and even, got {d_head}")
    inv_freq = base ** (-torch.arange(0, d_head, 2, dtype=torch.float64) / d_head)  # theta_i, (d/2,)
    angles = positions.to(torch.float64)[..., None] * inv_freq                      # (..., T, d/2)
    cos, sin = torch.cos(angles), torch.sin(angles)
    x64 = x.to(torch.float64)
    even, odd = x64[..., 0::2], x64[..., 1::2]
    out = torch.empty(torch.broadcast_shapes(x64.shape, (*angles.shape[:-1], d_head)), dtype=torch.float64)
    out[..., 0::2] = even * cos - odd * sin
    out[..., 1::2] = even * sin + odd * cos
    return out.to(x.dtype)
