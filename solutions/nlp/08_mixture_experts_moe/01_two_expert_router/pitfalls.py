"""Plausible wrong routers and MoE layers that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import torch

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from router import MoELayer, route


@pitfall(replaces="route", why="softmax over the tokens (dim=0) instead of over the experts")
def softmax_over_tokens(logits: torch.Tensor, top_k: int, renormalize: bool = False) -> tuple[torch.Tensor, torch.Tensor]:
    probs = torch.softmax(logits, dim=0)
    gates, expert_idx = probs.topk(top_k, dim=-1)
    if renormalize:
        gates = gates / gates.sum(dim=-1, keepdim=True)
    return expert_idx, gates


@pitfall(replaces="route", why="uses the raw router logits as gate weights (no softmax)")
def logits_as_gates(logits: torch.Tensor, top_k: int, renormalize: bool = False) -> tuple[torch.Tensor, torch.Tensor]:
    gates, expert_idx = logits.topk(top_k, dim=-1)
    if renormalize:
        gates = gates / gates.sum(dim=-1, keepdim=True)
    return expert_idx, gates


@pitfall(replaces="route", why="always renormalizes the top-k gates, even when renormalize=False (top-1 gate is then 1)")
def always_renormalized(logits: torch.Tensor, top_k: int, renormalize: bool = False) -> tuple[torch.Tensor, torch.Tensor]:
    gates, expert_idx = torch.softmax(logits, dim=-1).topk(top_k, dim=-1)
    return expert_idx, gates / gates.sum(dim=-1, keepdim=True)


@pitfall(replaces="MoELayer.forward", why="runs every expert on every token and masks afterwards: right numbers, no sparsity")
def dense_then_mask(self: MoELayer, x: torch.Tensor) -> torch.Tensor:
    flat = x.reshape(-1, x.shape[-1])
    expert_idx, gates = route(self.router(flat), self.top_k, self.renormalize)
    out = torch.zeros_like(flat)
    for e, expert in enumerate(self.experts):
        weight = (gates * (expert_idx == e)).sum(-1, keepdim=True)
        out = out + weight * expert(flat)
    return out.reshape(x.shape)


@pitfall(replaces="MoELayer.forward", why="out[token] = ... overwrites: with top_k > 1 only the last expert's output survives")
def overwrite_not_accumulate(self: MoELayer, x: torch.Tensor) -> torch.Tensor:
    flat = x.reshape(-1, x.shape[-1])
    expert_idx, gates = route(self.router(flat), self.top_k, self.renormalize)
    out = torch.zeros_like(flat)
    for e, expert in enumerate(self.experts):
        token, slot = torch.nonzero(expert_idx == e, as_tuple=True)
        if token.numel():
            out[token] = gates[token, slot, None] * expert(flat[token])
    return out.reshape(x.shape)


@pitfall(replaces="MoELayer.forward", why="adds the chosen experts' outputs without weighting them by their gates")
def unweighted(self: MoELayer, x: torch.Tensor) -> torch.Tensor:
    flat = x.reshape(-1, x.shape[-1])
    expert_idx, _ = route(self.router(flat), self.top_k, self.renormalize)
    out = torch.zeros_like(flat)
    for e, expert in enumerate(self.experts):
        token, _ = torch.nonzero(expert_idx == e, as_tuple=True)
        if token.numel():
            out.index_add_(0, token, expert(flat[token]))
    return out.reshape(x.shape)


@pitfall(replaces="MoELayer.forward", why="detaches the gates (treats routing as a constant), so the router never learns")
def detached_gates(self: MoELayer, x: torch.Tensor) -> torch.Tensor:
    flat = x.reshape(-1, x.shape[-1])
    expert_idx, gates = route(self.router(flat), self.top_k, self.renormalize)
    gates = gates.detach()
    out = torch.zeros_like(flat)
    for e, expert in enumerate(self.experts):
        token, slot = torch.nonzero(expert_idx == e, as_tuple=True)
        if token.numel():
            out.index_add_(0, token, gates[token, slot, None] * expert(flat[token]))
    return out.reshape(x.shape)


@pitfall(replaces="route", why="softmax in float64 for safety and the gates returned float64 whatever the logits' dtype")
def float64_gates(logits: torch.Tensor, top_k: int, renormalize: bool = False) -> tuple[torch.Tensor, torch.Tensor]:
    probs = torch.softmax(logits.double(), dim=-1)
    gates, idx = probs.topk(top_k, dim=-1)
    if renormalize:
        gates = gates / gates.sum(-1, keepdim=True)
    return idx, gates
