"""Plausible wrong dense simulations, FLOP counts and upcycling that the tests must reject."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import torch
from torch import nn

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from sparse_flops import Expert, MoE, route


@pitfall(replaces="MoE.forward_dense", why="weights every expert by its full softmax probability: a soft mixture, not top-k")
def soft_mixture(self: MoE, x: torch.Tensor) -> torch.Tensor:
    flat = x.reshape(-1, x.shape[-1])
    probs = torch.softmax(self.router(flat), dim=-1)
    out = torch.zeros_like(flat)
    for e, expert in enumerate(self.experts):
        out = out + probs[:, e, None] * expert(flat)
    return out.reshape(x.shape)


@pitfall(replaces="MoE.forward_dense", why="builds the gate matrix from raw probabilities, ignoring renormalize")
def ignores_renormalize(self: MoE, x: torch.Tensor) -> torch.Tensor:
    flat = x.reshape(-1, x.shape[-1])
    probs = torch.softmax(self.router(flat), dim=-1)
    gates, expert_idx = probs.topk(self.top_k, dim=-1)
    dense_gates = torch.zeros_like(probs).scatter(1, expert_idx, gates)
    out = torch.zeros_like(flat)
    for e, expert in enumerate(self.experts):
        out = out + dense_gates[:, e, None] * expert(flat)
    return out.reshape(x.shape)


@pitfall(replaces="MoE.forward_dense", why="combines the stacked expert outputs with a batched matmul (einsum), an extra matmul")
def combine_with_matmul(self: MoE, x: torch.Tensor) -> torch.Tensor:
    flat = x.reshape(-1, x.shape[-1])
    expert_idx, gates = route(self.router(flat), self.top_k, self.renormalize)
    dense_gates = torch.zeros(flat.shape[0], self.n_experts, dtype=gates.dtype).scatter(1, expert_idx, gates)
    outs = torch.stack([expert(flat) for expert in self.experts], dim=1)        # (N, E, d)
    return torch.bmm(dense_gates[:, None, :], outs)[:, 0].reshape(x.shape)


@pitfall(replaces="count_flops", why="halves the count: reports multiply-adds, not FLOPs")
def counts_macs(fn: Callable[..., Any], *args: Any) -> int:
    from torch.utils.flop_counter import FlopCounterMode

    with FlopCounterMode(display=False) as counter:
        fn(*args)
    return int(counter.get_total_flops()) // 2


@pitfall(replaces="moe_flops", why="forgets the router's matmul")
def no_router(n_tokens: int, d_model: int, d_ff: int, n_experts: int, top_k: int, dense: bool) -> int:
    return n_tokens * (n_experts if dense else top_k) * 4 * d_model * d_ff


@pitfall(replaces="moe_flops", why="counts one matmul per expert visit instead of two (fc1 and fc2)")
def one_matmul_per_expert(n_tokens: int, d_model: int, d_ff: int, n_experts: int, top_k: int, dense: bool) -> int:
    return 2 * n_tokens * d_model * n_experts + n_tokens * (n_experts if dense else top_k) * 2 * d_model * d_ff


@pitfall(replaces="moe_flops", why="multiply-adds instead of FLOPs (no factor 2)")
def moe_macs(n_tokens: int, d_model: int, d_ff: int, n_experts: int, top_k: int, dense: bool) -> int:
    return n_tokens * d_model * n_experts + n_tokens * (n_experts if dense else top_k) * 2 * d_model * d_ff


@pitfall(replaces="upcycle", why="nn.ModuleList([ffn] * n_experts): every expert is the same shared module")
def shared_experts(ffn: Expert, n_experts: int, top_k: int) -> MoE:
    moe = MoE(ffn.fc1.in_features, ffn.fc1.out_features, n_experts, top_k, renormalize=True).to(ffn.fc1.weight.dtype)
    moe.experts = nn.ModuleList([ffn] * n_experts)
    return moe


@pitfall(replaces="upcycle", why="keeps renormalize=False: the output is scaled by the top-k probability mass")
def not_renormalized(ffn: Expert, n_experts: int, top_k: int) -> MoE:
    moe = MoE(ffn.fc1.in_features, ffn.fc1.out_features, n_experts, top_k).to(ffn.fc1.weight.dtype)
    for expert in moe.experts:
        expert.load_state_dict(ffn.state_dict())
    return moe


@pitfall(replaces="upcycle", why="freshly initialized experts: the swap changes what the layer computes")
def fresh_experts(ffn: Expert, n_experts: int, top_k: int) -> MoE:
    return MoE(ffn.fc1.in_features, ffn.fc1.out_features, n_experts, top_k, renormalize=True).to(ffn.fc1.weight.dtype)


@pitfall(replaces="param_counts", why="active parameters of one expert only, ignoring top_k and the router")
def one_expert_active(moe: MoE) -> tuple[int, int]:
    return sum(p.numel() for p in moe.parameters()), sum(p.numel() for p in moe.experts[0].parameters())


@pitfall(replaces="upcycle", why="builds the MoE in the default float32: load_state_dict silently casts a float64 ffn's weights")
def float32_moe(ffn: Expert, n_experts: int, top_k: int) -> MoE:
    moe = MoE(ffn.fc1.in_features, ffn.fc1.out_features, n_experts, top_k, renormalize=True)
    for expert in moe.experts:
        expert.load_state_dict(ffn.state_dict())
    return moe
