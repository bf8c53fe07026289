"""Plausible wrong versions of MoE routing that the tests must reject."""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

import torch

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from moe import expert_capacity, top_k_experts


@pitfall(replaces="expert_capacity", why="floors the capacity: a factor of 1.25 on 10 tokens gives 6 slots, not 7")
def floor_capacity(n_tokens: int, n_experts: int, k: int, capacity_factor: float) -> int:
    if n_tokens < 1 or n_experts < 1 or not 1 <= k <= n_experts or capacity_factor <= 0:
        raise ValueError("bad sizes")
    return int(capacity_factor * n_tokens * k / n_experts)


@pitfall(replaces="expert_capacity", why="forgets k: buffers sized for one choice per token")
def capacity_without_k(n_tokens: int, n_experts: int, k: int, capacity_factor: float) -> int:
    if n_tokens < 1 or n_experts < 1 or not 1 <= k <= n_experts or capacity_factor <= 0:
        raise ValueError("bad sizes")
    return math.ceil(capacity_factor * n_tokens / n_experts)


@pitfall(replaces="top_k_experts", why="softmax over the k chosen logits only: gates always sum to 1, even unnormalised")
def softmax_of_top_k(logits: torch.Tensor, k: int) -> tuple[torch.Tensor, torch.Tensor]:
    order = torch.sort(-logits.double(), dim=-1, stable=True).indices[:, :k]
    return order, torch.softmax(torch.gather(logits.double(), 1, order), -1).to(logits.dtype)


def _fill(experts: torch.Tensor, gates: torch.Tensor, capacity: int, token_major: bool) -> tuple[torch.Tensor, torch.Tensor]:
    n_tokens, k = experts.shape
    slots = torch.full((n_tokens, k), -1, dtype=torch.int64)
    used: dict[int, int] = {}
    order = [(t, j) for t in range(n_tokens) for j in range(k)] if token_major else \
        [(t, j) for j in range(k) for t in range(n_tokens)]
    for t, j in order:
        e = int(experts[t, j])
        if used.get(e, 0) < capacity:
            slots[t, j] = used.get(e, 0)
            used[e] = used.get(e, 0) + 1
        else:
            gates[t, j] = 0
    return gates, slots


@pitfall(replaces="route", why="fills the buffers token by token (a token's second choice before the next token's first)")
def token_major(logits: torch.Tensor, k: int, capacity_factor: float, normalize: bool = False
                ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    capacity = expert_capacity(*logits.shape, k, capacity_factor)
    experts, gates = top_k_experts(logits, k)
    if normalize:
        gates = gates / gates.sum(-1, keepdim=True)
    gates, slots = _fill(experts, gates.clone(), capacity, token_major=True)
    return experts, gates, slots


@pitfall(replaces="route", why="renormalises the gates after dropping: a surviving choice gets the dropped one's weight")
def normalize_after_drop(logits: torch.Tensor, k: int, capacity_factor: float, normalize: bool = False
                         ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    capacity = expert_capacity(*logits.shape, k, capacity_factor)
    experts, gates = top_k_experts(logits, k)
    gates, slots = _fill(experts, gates.clone(), capacity, token_major=False)
    if normalize:
        total = gates.sum(-1, keepdim=True)
        gates = torch.where(total > 0, gates / torch.where(total > 0, total, 1), gates)
    return experts, gates, slots


@pitfall(replaces="route", why="marks dropped tokens with slot -1 but keeps their gate")
def keeps_dropped_gate(logits: torch.Tensor, k: int, capacity_factor: float, normalize: bool = False
                       ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    capacity = expert_capacity(*logits.shape, k, capacity_factor)
    experts, gates = top_k_experts(logits, k)
    if normalize:
        gates = gates / gates.sum(-1, keepdim=True)
    _, slots = _fill(experts, gates.clone(), capacity, token_major=False)
    return experts, gates, slots


@pitfall(replaces="load_balancing_loss", why="divides the counts by T * k: the loss no longer grows with k")
def counts_over_tk(logits: torch.Tensor, k: int) -> torch.Tensor:
    n_tokens, n_experts = logits.shape
    if not 1 <= k <= n_experts:
        raise ValueError("bad k")
    experts, _ = top_k_experts(logits, k)
    f = torch.bincount(experts.reshape(-1), minlength=n_experts).double() / (n_tokens * k)
    return (n_experts * torch.sum(f * torch.softmax(logits.double(), -1).mean(0))).to(logits.dtype)


@pitfall(replaces="load_balancing_loss", why="counts only each token's first choice, whatever k is")
def top1_counts(logits: torch.Tensor, k: int) -> torch.Tensor:
    n_tokens, n_experts = logits.shape
    if not 1 <= k <= n_experts:
        raise ValueError("bad k")
    probs = torch.softmax(logits.double(), -1)
    f = torch.bincount(probs.argmax(-1), minlength=n_experts).double() / n_tokens
    return (n_experts * torch.sum(f * probs.mean(0))).to(logits.dtype)
