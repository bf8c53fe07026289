"""Plausible wrong dissections that the tests must reject."""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

import torch

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from dissection import attention, attention_entropy


@pitfall(replaces="swap_qk_weights", why="transposes the normal weights: rows are then normalised over the wrong axis")
def swap_by_transposing_weights(q: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
    return attention(q, k, k)[1].transpose(-2, -1)


@pitfall(replaces="identity_value_output", why="identity of size Lq (the queries) instead of Lk (the keys)")
def identity_of_query_length(q: torch.Tensor, k: torch.Tensor) -> torch.Tensor:
    eye = torch.eye(q.shape[-2], dtype=q.dtype)
    return attention(q, k, eye)[0]


@pitfall(replaces="zero_query", why="zeroes q in place: the caller's queries are destroyed")
def zero_query_in_place(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    return attention(q.zero_(), k, v)


@pitfall(replaces="scaled_query_weights", why="scales both q and k by c: temperature 1/c² instead of 1/c")
def scales_q_and_k(q: torch.Tensor, k: torch.Tensor, c: float) -> torch.Tensor:
    return attention(c * q, c * k, k)[1]


@pitfall(replaces="attention_entropy", why="log base 2 (bits) instead of natural log (nats)")
def entropy_in_bits(weights: torch.Tensor) -> torch.Tensor:
    return -torch.special.xlogy(weights, weights).sum(-1) / math.log(2)


@pitfall(replaces="attention_entropy", why="w * log(w) without the 0 log 0 = 0 convention: NaN on saturated rows")
def entropy_nan_at_zero(weights: torch.Tensor) -> torch.Tensor:
    return -(weights * torch.log(weights)).sum(-1)


@pitfall(replaces="explosion_diagnostics", why="always divides by sqrt(d): the scaled flag is ignored")
def diagnostics_ignore_flag(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, scaled: bool) -> dict[str, float]:
    q = q.detach().clone().requires_grad_(True)
    scores = (q @ k.transpose(-2, -1)) / math.sqrt(q.shape[-1])
    weights = torch.softmax(scores, dim=-1)
    (weights @ v).sum().backward()
    w = weights.detach()
    return {"score_std": scores.detach().std().item(), "max_weight": w.max(dim=-1).values.mean().item(),
            "entropy": attention_entropy(w).mean().item(), "grad_norm": q.grad.norm().item()}


@pitfall(replaces="explosion_diagnostics", why="saturation measured as the mean weight (always 1/Lk) instead of the max")
def diagnostics_mean_weight(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, scaled: bool) -> dict[str, float]:
    q = q.detach().clone().requires_grad_(True)
    scores = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(q.shape[-1]) if scaled else 1.0)
    weights = torch.softmax(scores, dim=-1)
    (weights @ v).sum().backward()
    w = weights.detach()
    return {"score_std": scores.detach().std().item(), "max_weight": w.mean().item(),
            "entropy": attention_entropy(w).mean().item(), "grad_norm": q.grad.norm().item()}
