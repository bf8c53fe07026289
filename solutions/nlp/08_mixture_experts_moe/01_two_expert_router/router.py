"""Reference solution for nlp-08-1."""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn


class Expert(nn.Module):
    """Given, complete: one expert, a feed-forward network Linear(d_model, d_ff) -> GELU -> Linear(d_ff, d_model)."""

    def __init__(self, d_model: int, d_ff: int) -> None:
        super().__init__()
        self.fc1 = nn.Linear(d_model, d_ff)
        self.fc2 = nn.Linear(d_ff, d_model)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc2(F.gelu(self.fc1(x)))


def route(logits: torch.Tensor, top_k: int, renormalize: bool = False) -> tuple[torch.Tensor, torch.Tensor]:
    """Pick each token's top_k experts and their gate weights.

    probs = softmax(logits) over the experts; expert_idx holds each token's top_k experts in order
    of decreasing probability and gates their probabilities. With renormalize=True the gates are
    divided by their sum, so each token's top_k gates sum to 1 (Mixtral); without it they are the
    plain probabilities (Switch Transformer), which is what lets a top-1 router learn.

    Shapes:
        logits: (N, n_experts), one row of router scores per token
        returns: expert_idx (N, top_k) long, gates (N, top_k) in the dtype of logits
    """
    probs = torch.softmax(logits, dim=-1)
    gates, expert_idx = probs.topk(top_k, dim=-1)
    if renormalize:
        gates = gates / gates.sum(dim=-1, keepdim=True)
    return expert_idx, gates


class MoELayer(nn.Module):
    """A mixture-of-experts feed-forward layer: a linear router sends each token to top_k experts.

        expert_idx, gates = route(router(x_n), top_k, renormalize)
        y_n = sum over j < top_k of gates[n, j] * experts[expert_idx[n, j]](x_n)

    Routing is dynamic and sparse: each expert runs only on the tokens routed to it (a gather),
    and the weighted results are added back at those tokens' rows (a scatter-add). The layers
    below are given; keep their names (the tests read and overwrite their weights).
    """

    def __init__(self, d_model: int, d_ff: int, n_experts: int = 2, top_k: int = 1, renormalize: bool = False) -> None:
        super().__init__()
        if not 1 <= top_k <= n_experts:
            raise ValueError(f"need 1 <= top_k <= n_experts, got top_k={top_k}, n_experts={n_experts}")
        self.n_experts, self.top_k, self.renormalize = n_experts, top_k, renormalize
        self.router = nn.Linear(d_model, n_experts, bias=False)
        self.experts = nn.ModuleList(Expert(d_model, d_ff) for _ in range(n_experts))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Route every token and combine its experts' outputs with the gate weights.

        Call each expert once, on exactly the tokens routed to it (an expert with no tokens may be
        skipped); never run an expert on a token that did not choose it.

        Shapes:
            x: (..., d_model), any number of leading axes (tokens are the flattened leading axes)
            returns: (..., d_model), same shape and dtype as x
        """
        flat = x.reshape(-1, x.shape[-1])
        expert_idx, gates = route(self.router(flat), self.top_k, self.renormalize)
        out = torch.zeros_like(flat)
        for e, expert in enumerate(self.experts):
            token, slot = torch.nonzero(expert_idx == e, as_tuple=True)
            if token.numel() == 0:
                continue
            out.index_add_(0, token, gates[token, slot, None] * expert(flat[token]))
        return out.reshape(x.shape)
