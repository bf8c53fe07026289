"""Reference solution for sys-04-3."""
from __future__ import annotations

import math

import torch


def expert_capacity(n_tokens: int, n_experts: int, k: int, capacity_factor: float) -> int:
    if n_tokens < 1 or n_experts < 1 or not 1 <= k <= n_experts or capacity_factor <= 0:
        raise ValueError(f"bad sizes: {n_tokens=}, {n_experts=}, {k=}, {capacity_factor=}")
    return math.ceil(capacity_factor * n_tokens * k / n_experts)


def top_k_experts(logits: torch.Tensor, k: int) -> tuple[torch.Tensor, torch.Tensor]:
    probs = torch.softmax(logits.double(), dim=-1)
    order = torch.sort(-probs, dim=-1, stable=True).indices[:, :k]
    return order, torch.gather(probs, 1, order).to(logits.dtype)


def route(logits: torch.Tensor, k: int, capacity_factor: float, normalize: bool = False
          ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    n_tokens, n_experts = logits.shape
    capacity = expert_capacity(n_tokens, n_experts, k, capacity_factor)
    experts, gates = top_k_experts(logits, k)
    if normalize:
        gates = gates / gates.sum(dim=-1, keepdim=True)
    gates = gates.clone()
    slots = torch.full((n_tokens, k), -1, dtype=torch.int64)
    filled = [0] * n_experts
    for j in range(k):
        for t in range(n_tokens):
            e = int(experts[t, j])
            if filled[e] < capacity:
                slots[t, j] = filled[e]
                filled[e] += 1
            else:
                gates[t, j] = 0
    return experts, gates, slots


def load_balancing_loss(logits: torch.Tensor, k: int) -> torch.Tensor:
    n_tokens, n_experts = logits.shape
    if not 1 <= k <= n_experts:
        raise ValueError(f"need 1 <= k <= n_experts, got {k=}")
    probs = torch.softmax(logits.double(), dim=-1)
    experts, _ = top_k_experts(logits, k)
    counts = torch.bincount(experts.reshape(-1), minlength=n_experts).double()
    f = counts / n_tokens
    p = probs.mean(dim=0)
    return (n_experts * torch.sum(f * p)).to(logits.dtype)
