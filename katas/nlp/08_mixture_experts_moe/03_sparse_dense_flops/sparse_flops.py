"""nlp-08-3: sparse/dense swaps and FLOP savings. Edit this file; `grader check nlp-08-3` tests it."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn


class Expert(nn.Module):
    """Given, complete: a feed-forward network Linear(d_model, d_ff) -> GELU -> Linear(d_ff, d_model).

    It is both one expert of a MoE and the dense feed-forward block a MoE replaces.
    """

    def __init__(self, d_model: int, d_ff: int) -> None:
        super().__init__()
        self.fc1 = nn.Linear(d_model, d_ff)
        self.fc2 = nn.Linear(d_ff, d_model)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc2(F.gelu(self.fc1(x)))


def route(logits: torch.Tensor, top_k: int, renormalize: bool = False) -> tuple[torch.Tensor, torch.Tensor]:
    """Given, complete (nlp-08-1): softmax over the experts, top-k; returns (expert_idx, gates), each (N, top_k)."""
    probs = torch.softmax(logits, dim=-1)
    gates, expert_idx = probs.topk(top_k, dim=-1)
    if renormalize:
        gates = gates / gates.sum(dim=-1, keepdim=True)
    return expert_idx, gates


class MoE(nn.Module):
    """A mixture-of-experts feed-forward layer with two ways to compute the same output.

    forward_sparse (given, nlp-08-1) runs each expert only on its routed tokens; forward_dense
    (yours) simulates what a dense layer would pay: every expert on every token.
    """

    def __init__(self, d_model: int, d_ff: int, n_experts: int, top_k: int, renormalize: bool = False) -> None:
        super().__init__()
        if not 1 <= top_k <= n_experts:
            raise ValueError(f"need 1 <= top_k <= n_experts, got top_k={top_k}, n_experts={n_experts}")
        self.d_model, self.d_ff, self.n_experts, self.top_k = d_model, d_ff, n_experts, top_k
        self.renormalize = renormalize
        self.router = nn.Linear(d_model, n_experts, bias=False)
        self.experts = nn.ModuleList(Expert(d_model, d_ff) for _ in range(n_experts))

    def forward_sparse(self, x: torch.Tensor) -> torch.Tensor:
        """Given, complete: gather each expert's tokens, run it once, scatter-add the gated outputs."""
        flat = x.reshape(-1, x.shape[-1])
        expert_idx, gates = route(self.router(flat), self.top_k, self.renormalize)
        out = torch.zeros_like(flat)
        for e, expert in enumerate(self.experts):
            token, slot = torch.nonzero(expert_idx == e, as_tuple=True)
            if token.numel():
                out.index_add_(0, token, gates[token, slot, None] * expert(flat[token]))
        return out.reshape(x.shape)

    def forward_dense(self, x: torch.Tensor) -> torch.Tensor:
        """The same output as forward_sparse, computed densely: every expert on every token.

        Build the (N, n_experts) gate matrix G (the route gates at each token's chosen experts, 0
        elsewhere) and return sum_e G[:, e] * experts[e](x). Combine with elementwise products and
        sums (no extra matmul), so the only matmuls are the router's and the experts'.

        Shapes:
            x: (..., d_model)
            returns: (..., d_model), equal to forward_sparse(x) up to rounding
        """
        raise NotImplementedError("MoE.forward_dense: the gate matrix, then every expert on every token")


def count_flops(fn: Callable[..., Any], *args: Any) -> int:
    """FLOPs of fn(*args) as counted by torch.utils.flop_counter.FlopCounterMode (display off).

    FlopCounterMode counts matrix multiplications only, 2 FLOPs per multiply-add: an (m, k) @ (k, n)
    product is 2 * m * k * n, with or without a bias. Elementwise ops count 0.

    Returns:
        the total, an int
    """
    raise NotImplementedError("count_flops: run fn under FlopCounterMode and read the total")


def moe_flops(n_tokens: int, d_model: int, d_ff: int, n_experts: int, top_k: int, dense: bool) -> int:
    """Closed-form matmul FLOPs of one MoE forward over n_tokens tokens (what FlopCounterMode reports).

    The router costs 2 * n_tokens * d_model * n_experts. One expert on one token costs its two matmuls,
    2 * d_model * d_ff each. Sparse: each token visits top_k experts. Dense: every token visits all
    n_experts.

    Returns:
        an int
    """
    raise NotImplementedError("moe_flops: router plus expert matmuls, sparse or dense")


def upcycle(ffn: Expert, n_experts: int, top_k: int) -> MoE:
    """Swap a dense feed-forward block for a sparse MoE that computes the same function ("sparse upcycling").

    Return MoE(d_model, d_ff, n_experts, top_k, renormalize=True) whose experts are independent copies
    of ffn's weights (its own tensors, not shared with ffn or with each other); keep the router's own
    initialization. Because every expert is the same function and the top_k gates sum to 1, the
    output equals ffn(x) exactly, while the parameter count grows n_experts times.

    Shapes:
        ffn.fc1: Linear(d_model, d_ff); returns a MoE with the same d_model, d_ff
    """
    raise NotImplementedError("upcycle: build the MoE, copy ffn into every expert, renormalize=True")


def param_counts(moe: MoE) -> tuple[int, int]:
    """(total parameters, parameters active for one token).

    Active = the router plus top_k experts' parameters: what one token actually touches.

    Returns:
        (total, active), two ints
    """
    raise NotImplementedError("param_counts: every parameter, and the ones one token uses")
