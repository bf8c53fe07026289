"""Plausible wrong classifier-free guidance that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import torch

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from cfg import CondModel


@pitfall(replaces="guided_eps", why="guides from the wrong side: eps_c + w (eps_c - eps_u)")
def guides_from_conditional(eps_model: CondModel, x: torch.Tensor, t: torch.Tensor, cond: torch.Tensor,
                            null_id: int, guidance_scale: float) -> torch.Tensor:
    b = x.shape[0]
    out = eps_model(torch.cat([x, x]), torch.cat([t, t]), torch.cat([cond, torch.full_like(cond, null_id)]))
    return out[:b] + guidance_scale * (out[:b] - out[b:])


@pitfall(replaces="guided_eps", why="swaps the halves: the unconditional half taken as the conditional one")
def halves_swapped(eps_model: CondModel, x: torch.Tensor, t: torch.Tensor, cond: torch.Tensor,
                   null_id: int, guidance_scale: float) -> torch.Tensor:
    b = x.shape[0]
    out = eps_model(torch.cat([x, x]), torch.cat([t, t]), torch.cat([cond, torch.full_like(cond, null_id)]))
    eps_u, eps_c = out[:b], out[b:]
    return eps_u + guidance_scale * (eps_c - eps_u)


@pitfall(replaces="guided_eps", why="two separate model calls instead of one doubled batch")
def two_calls(eps_model: CondModel, x: torch.Tensor, t: torch.Tensor, cond: torch.Tensor,
              null_id: int, guidance_scale: float) -> torch.Tensor:
    eps_c = eps_model(x, t, cond)
    eps_u = eps_model(x, t, torch.full_like(cond, null_id))
    return eps_u + guidance_scale * (eps_c - eps_u)


@pitfall(replaces="guided_eps", why="(1 + w) eps_c - w eps_u convention with the w of this kata: w = 0 is not unconditional")
def plus_one_convention(eps_model: CondModel, x: torch.Tensor, t: torch.Tensor, cond: torch.Tensor,
                        null_id: int, guidance_scale: float) -> torch.Tensor:
    b = x.shape[0]
    out = eps_model(torch.cat([x, x]), torch.cat([t, t]), torch.cat([cond, torch.full_like(cond, null_id)]))
    return (1 + guidance_scale) * out[:b] - guidance_scale * out[b:]


@pitfall(replaces="drop_condition", why="drops the whole batch's condition at once with probability p")
def drops_whole_batch(cond: torch.Tensor, null_id: int, p_uncond: float, seed: int) -> torch.Tensor:
    if not 0.0 <= p_uncond <= 1.0:
        raise ValueError("bad p")
    g = torch.Generator().manual_seed(seed)
    if float(torch.rand(1, generator=g)) < p_uncond:
        return torch.full_like(cond, null_id)
    return cond.clone()


@pitfall(replaces="drop_condition", why="uses torch's global generator")
def global_rng(cond: torch.Tensor, null_id: int, p_uncond: float, seed: int) -> torch.Tensor:
    if not 0.0 <= p_uncond <= 1.0:
        raise ValueError("bad p")
    drop = torch.rand(cond.shape) < p_uncond
    return torch.where(drop, torch.full_like(cond, null_id), cond)


@pitfall(replaces="drop_condition", why="writes the null label into the caller's tensor")
def in_place(cond: torch.Tensor, null_id: int, p_uncond: float, seed: int) -> torch.Tensor:
    if not 0.0 <= p_uncond <= 1.0:
        raise ValueError("bad p")
    g = torch.Generator().manual_seed(seed)
    cond[torch.rand(cond.shape, generator=g) < p_uncond] = null_id
    return cond
