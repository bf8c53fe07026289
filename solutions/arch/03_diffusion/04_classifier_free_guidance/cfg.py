"""Reference solution for arch-03-4."""
from __future__ import annotations

from collections.abc import Callable

import torch

CondModel = Callable[[torch.Tensor, torch.Tensor, torch.Tensor], torch.Tensor]


def drop_condition(cond: torch.Tensor, null_id: int, p_uncond: float, seed: int) -> torch.Tensor:
    if not 0.0 <= p_uncond <= 1.0:
        raise ValueError(f"p_uncond must be in [0, 1], got {p_uncond}")
    g = torch.Generator().manual_seed(seed)
    drop = torch.rand(cond.shape, generator=g) < p_uncond
    return torch.where(drop, torch.full_like(cond, null_id), cond)


def guided_eps(eps_model: CondModel, x: torch.Tensor, t: torch.Tensor, cond: torch.Tensor, null_id: int,
               guidance_scale: float) -> torch.Tensor:
    b = x.shape[0]
    out = eps_model(torch.cat([x, x]), torch.cat([t, t]), torch.cat([cond, torch.full_like(cond, null_id)]))
    eps_c, eps_u = out[:b], out[b:]
    return eps_u + guidance_scale * (eps_c - eps_u)
