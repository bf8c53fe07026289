"""Reference solution for arch-06-5."""
from __future__ import annotations

import math

import torch

FAR_DELTA = 1e10     # the last sample's interval: "to infinity"


def positional_encoding(x: torch.Tensor, n_freqs: int, include_input: bool = True) -> torch.Tensor:
    if n_freqs < 0:
        raise ValueError("n_freqs must be >= 0")
    parts = [x] if include_input else []
    for k in range(n_freqs):
        parts += [torch.sin(2.0 ** k * math.pi * x), torch.cos(2.0 ** k * math.pi * x)]
    if not parts:
        raise ValueError("nothing to encode: n_freqs = 0 and include_input = False")
    return torch.cat(parts, dim=-1)


def stratified_samples(near: float, far: float, n_rays: int, n_samples: int,
                       generator: torch.Generator) -> torch.Tensor:
    if not far > near or n_samples < 1:
        raise ValueError("need far > near and n_samples >= 1")
    u = torch.rand(n_rays, n_samples, generator=generator, dtype=torch.float64)
    return near + (far - near) * (torch.arange(n_samples) + u) / n_samples


def render_rays(sigma: torch.Tensor, rgb: torch.Tensor, t_vals: torch.Tensor
                ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    delta = torch.cat([t_vals[:, 1:] - t_vals[:, :-1], torch.full_like(t_vals[:, :1], FAR_DELTA)], dim=1)
    alpha = 1 - torch.exp(-sigma * delta)
    trans = torch.cumprod(torch.cat([torch.ones_like(alpha[:, :1]), 1 - alpha[:, :-1]], dim=1), dim=1)
    weights = trans * alpha
    return (weights[..., None] * rgb).sum(dim=1), (weights * t_vals).sum(dim=1), weights
