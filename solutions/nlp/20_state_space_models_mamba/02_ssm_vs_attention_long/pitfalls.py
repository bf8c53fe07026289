"""Plausible wrong versions of the long-sequence decoders that the tests must reject."""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

import torch

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from long_sequences import attention_decode_step, ssm_decode_step


@pitfall(replaces="ssm_decode_step", why="outputs from the old state (y_t read before the update)")
def stale_output(h: torch.Tensor, x_t: torch.Tensor, delta_t: torch.Tensor, A: torch.Tensor, B_t: torch.Tensor,
                 C_t: torch.Tensor, D: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    y = (h * C_t[:, None, :]).sum(-1) + D * x_t
    dA = delta_t[..., None] * A
    return torch.exp(dA) * h + torch.expm1(dA) / A * B_t[:, None, :] * x_t[..., None], y


@pitfall(replaces="ssm_decode_step", why="updates the caller's state in place (h.mul_ ... add_)")
def in_place_state(h: torch.Tensor, x_t: torch.Tensor, delta_t: torch.Tensor, A: torch.Tensor, B_t: torch.Tensor,
                   C_t: torch.Tensor, D: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    dA = delta_t[..., None] * A
    h.mul_(torch.exp(dA)).add_(torch.expm1(dA) / A * B_t[:, None, :] * x_t[..., None])
    return h, (h * C_t[:, None, :]).sum(-1) + D * x_t


@pitfall(replaces="attention_decode_step", why="attends over the old cache only (forgets to append before attending)")
def attend_before_append(k_cache: torch.Tensor, v_cache: torch.Tensor, q_t: torch.Tensor, k_t: torch.Tensor,
                         v_t: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    keys = k_cache if k_cache.shape[1] else k_t[:, None]
    values = v_cache if v_cache.shape[1] else v_t[:, None]
    w = torch.softmax((keys @ q_t[:, :, None])[..., 0] / math.sqrt(q_t.shape[-1]), dim=-1)
    y = (w[:, None, :] @ values)[:, 0]
    return torch.cat([k_cache, k_t[:, None]], 1), torch.cat([v_cache, v_t[:, None]], 1), y


@pitfall(replaces="attention_decode_step", why="no 1/sqrt(d) scale")
def unscaled(k_cache: torch.Tensor, v_cache: torch.Tensor, q_t: torch.Tensor, k_t: torch.Tensor,
             v_t: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    k_cache = torch.cat([k_cache, k_t[:, None]], 1)
    v_cache = torch.cat([v_cache, v_t[:, None]], 1)
    w = torch.softmax((k_cache @ q_t[:, :, None])[..., 0], dim=-1)
    return k_cache, v_cache, (w[:, None, :] @ v_cache)[:, 0]


@pitfall(replaces="ssm_stream", why="reports the size of all outputs so far instead of the carried state")
def counts_outputs(x: torch.Tensor, delta: torch.Tensor, A: torch.Tensor, B: torch.Tensor, C: torch.Tensor,
                   D: torch.Tensor) -> tuple[torch.Tensor, list[int]]:
    h = torch.zeros(x.shape[0], x.shape[2], A.shape[1], dtype=x.dtype)
    ys, sizes = [], []
    for t in range(x.shape[1]):
        h, y = ssm_decode_step(h, x[:, t], delta[:, t], A, B[:, t], C[:, t], D)
        ys.append(y)
        sizes.append(sum(v.nelement() * v.element_size() for v in ys))
    return torch.stack(ys, 1), sizes


@pitfall(replaces="attention_stream", why="counts only the key cache")
def keys_only(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> tuple[torch.Tensor, list[int]]:
    kc = torch.zeros(q.shape[0], 0, k.shape[-1], dtype=k.dtype)
    vc = torch.zeros(q.shape[0], 0, v.shape[-1], dtype=v.dtype)
    ys, sizes = [], []
    for t in range(q.shape[1]):
        kc, vc, y = attention_decode_step(kc, vc, q[:, t], k[:, t], v[:, t])
        ys.append(y)
        sizes.append(kc.nelement() * kc.element_size())
    return torch.stack(ys, 1), sizes
