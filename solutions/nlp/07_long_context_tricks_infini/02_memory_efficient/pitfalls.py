"""Plausible wrong memory-efficient attention that the tests must reject."""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

import torch

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from efficient_attention import naive_attention


def _flash(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, block_size: int, causal: bool,
           rescale_acc: bool = True, rescale_denom: bool = True, local_mask: bool = False,
           lse_without_max: bool = False) -> tuple[torch.Tensor, torch.Tensor]:
    if block_size < 1:
        raise ValueError("block_size")
    lq, lk = q.shape[-2], k.shape[-2]
    m = torch.full(q.shape[:-1], float("-inf"), dtype=q.dtype)
    denom = torch.zeros_like(m)
    acc = torch.zeros(*q.shape[:-1], v.shape[-1], dtype=q.dtype)
    q_pos = torch.arange(lq)[:, None]
    for start in range(0, lk, block_size):
        end = min(start + block_size, lk)
        scores = q @ k[..., start:end, :].transpose(-2, -1) / math.sqrt(q.shape[-1])
        if causal:
            k_pos = torch.arange(end - start)[None, :] if local_mask else torch.arange(start, end)[None, :]
            scores = scores.masked_fill(k_pos > q_pos, float("-inf"))
        m_new = torch.maximum(m, scores.amax(dim=-1))
        correction = torch.exp(m - m_new)
        p = torch.exp(scores - m_new[..., None])
        denom = (denom * correction if rescale_denom else denom) + p.sum(dim=-1)
        acc = (acc * correction[..., None] if rescale_acc else acc) + p @ v[..., start:end, :]
        m = m_new
    lse = torch.log(denom) if lse_without_max else m + torch.log(denom)
    return acc / denom[..., None], lse


@pitfall(replaces="flash_attention", why="never rescales the running output when the maximum grows")
def no_output_rescale(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, block_size: int,
                      causal: bool = False) -> tuple[torch.Tensor, torch.Tensor]:
    return _flash(q, k, v, block_size, causal, rescale_acc=False)


@pitfall(replaces="flash_attention", why="rescales the output but not the running denominator")
def no_denominator_rescale(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, block_size: int,
                           causal: bool = False) -> tuple[torch.Tensor, torch.Tensor]:
    return _flash(q, k, v, block_size, causal, rescale_denom=False)


@pitfall(replaces="flash_attention", why="causal mask with key positions counted from the block start")
def block_local_causal_mask(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, block_size: int,
                            causal: bool = False) -> tuple[torch.Tensor, torch.Tensor]:
    return _flash(q, k, v, block_size, causal, local_mask=True)


@pitfall(replaces="flash_attention", why="returns log(l) as the logsumexp, forgetting the running maximum m")
def lse_without_max(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, block_size: int,
                    causal: bool = False) -> tuple[torch.Tensor, torch.Tensor]:
    return _flash(q, k, v, block_size, causal, lse_without_max=True)


@pitfall(replaces="flash_attention", why="computes the full score matrix and only then walks it in blocks")
def full_scores_then_blocks(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, block_size: int,
                            causal: bool = False) -> tuple[torch.Tensor, torch.Tensor]:
    if block_size < 1:
        raise ValueError("block_size")
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    if causal:
        scores = scores.masked_fill(~torch.ones(scores.shape[-2:], dtype=torch.bool).tril(), float("-inf"))
    return torch.softmax(scores, dim=-1) @ v, torch.logsumexp(scores, dim=-1)


@pitfall(replaces="recompute_attention", why="plain attention: autograd keeps the (L, L) weights for backward")
def no_recompute(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, causal: bool = False) -> torch.Tensor:
    return naive_attention(q, k, v, causal)


@pitfall(replaces="recompute_attention", why="runs the forward under no_grad to save memory: no gradients at all")
def forward_under_no_grad(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, causal: bool = False) -> torch.Tensor:
    with torch.no_grad():
        return naive_attention(q, k, v, causal)
