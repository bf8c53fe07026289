"""Plausible wrong versions of apply_rope that the tests must reject."""
from __future__ import annotations

import torch

from grader.pitfalls import pitfall


def _angles(positions: torch.Tensor, d_head: int, base: float, exponent_scale: float = 2.0) -> torch.Tensor:
    if d_head % 2:
        raise ValueError("odd d_head")
    i = torch.arange(d_head // 2, dtype=torch.float64)
    return positions.to(torch.float64)[..., None] * base ** (-exponent_scale * i / d_head)


def _interleaved(x: torch.Tensor, cos: torch.Tensor, sin: torch.Tensor) -> torch.Tensor:
    x64 = x.to(torch.float64)
    even, odd = x64[..., 0::2], x64[..., 1::2]
    return torch.stack([even * cos - odd * sin, even * sin + odd * cos], dim=-1).flatten(-2).to(x.dtype)


@pitfall(replaces="apply_rope", why="half-split pairing (i, i + d/2), the GPT-NeoX/HF rotate_half layout, not interleaved pairs")
def half_split(x: torch.Tensor, positions: torch.Tensor, base: float = 10000.0) -> torch.Tensor:
    angles = _angles(positions, x.shape[-1], base)
    cos, sin = torch.cat([angles.cos()] * 2, -1), torch.cat([angles.sin()] * 2, -1)
    x64 = x.to(torch.float64)
    first, second = x64.chunk(2, dim=-1)
    return (x64 * cos + torch.cat([-second, first], -1) * sin).to(x.dtype)


@pitfall(replaces="apply_rope", why="frequency exponent i/d instead of 2i/d: high pairs turn too fast")
def exponent_i_over_d(x: torch.Tensor, positions: torch.Tensor, base: float = 10000.0) -> torch.Tensor:
    angles = _angles(positions, x.shape[-1], base, exponent_scale=1.0)
    return _interleaved(x, angles.cos(), angles.sin())


@pitfall(replaces="apply_rope", why="sign of the sin term flipped: rotates by -m*theta (clockwise)")
def sin_sign_flipped(x: torch.Tensor, positions: torch.Tensor, base: float = 10000.0) -> torch.Tensor:
    angles = _angles(positions, x.shape[-1], base)
    return _interleaved(x, angles.cos(), -angles.sin())


@pitfall(replaces="apply_rope", why="cos and sin swapped in the rotation")
def sin_cos_swapped(x: torch.Tensor, positions: torch.Tensor, base: float = 10000.0) -> torch.Tensor:
    angles = _angles(positions, x.shape[-1], base)
    return _interleaved(x, angles.sin(), angles.cos())


@pitfall(replaces="apply_rope", why="expands the d/2 angles with cat (half-split style) but rotates interleaved pairs")
def cat_angles_on_interleaved_pairs(x: torch.Tensor, positions: torch.Tensor, base: float = 10000.0) -> torch.Tensor:
    angles = torch.cat([_angles(positions, x.shape[-1], base)] * 2, -1)   # should be repeat_interleave(2, -1)
    cos, sin = angles.cos(), angles.sin()
    x64 = x.to(torch.float64)
    rotated = torch.stack([-x64[..., 1::2], x64[..., 0::2]], dim=-1).flatten(-2)
    return (x64 * cos + rotated * sin).to(x.dtype)


@pitfall(replaces="apply_rope", why="ignores the positions argument and uses 0..T-1")
def ignores_positions(x: torch.Tensor, positions: torch.Tensor, base: float = 10000.0) -> torch.Tensor:
    angles = _angles(torch.arange(x.shape[-2]), x.shape[-1], base)
    return _interleaved(x, angles.cos(), angles.sin())


@pitfall(replaces="apply_rope", why="reshapes positions to the trailing axes of x instead of broadcasting: a (batch, 1, T) position tensor fails")
def reshapes_positions(x: torch.Tensor, positions: torch.Tensor, base: float = 10000.0) -> torch.Tensor:
    if positions.dim() > 1:
        positions = positions.reshape(*x.shape[:-1][-positions.dim():])
    angles = _angles(positions, x.shape[-1], base)
    return _interleaved(x, angles.cos(), angles.sin())


@pitfall(replaces="apply_rope", why="writes the rotated pairs back into x in place (out = x; out[..., 0::2] = ...)")
def rotates_in_place(x: torch.Tensor, positions: torch.Tensor, base: float = 10000.0) -> torch.Tensor:
    angles = _angles(positions, x.shape[-1], base)
    cos, sin = angles.cos().to(x.dtype), angles.sin().to(x.dtype)
    even, odd = x[..., 0::2].clone(), x[..., 1::2].clone()
    out = x
    out[..., 0::2] = even * cos - odd * sin
    out[..., 1::2] = even * sin + odd * cos
    return out
