"""Plausible wrong versions of the ablation functions that the tests must reject."""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

import torch

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from ablate import attention_with_positions


@pitfall(replaces="attention_with_positions", why="adds a causal mask out of habit: the mask itself encodes order")
def causal_mask(x: torch.Tensor, pe: torch.Tensor | None, w_q: torch.Tensor, w_k: torch.Tensor,
                w_v: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    h = x if pe is None else x + pe[: x.shape[-2]]
    q, k, v = h @ w_q, h @ w_k, h @ w_v
    t = x.shape[-2]
    scores = (q @ k.transpose(-2, -1) / math.sqrt(w_q.shape[-1])).masked_fill(
        torch.ones(t, t, dtype=torch.bool).triu(1), float("-inf"))
    weights = torch.softmax(scores, dim=-1)
    return weights @ v, weights


@pitfall(replaces="attention_with_positions", why="softmax over the queries (dim=-2) instead of the keys")
def softmax_over_queries(x: torch.Tensor, pe: torch.Tensor | None, w_q: torch.Tensor, w_k: torch.Tensor,
                         w_v: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    h = x if pe is None else x + pe[: x.shape[-2]]
    q, k, v = h @ w_q, h @ w_k, h @ w_v
    weights = torch.softmax(q @ k.transpose(-2, -1) / math.sqrt(w_q.shape[-1]), dim=-2)
    return weights @ v, weights


@pitfall(replaces="attention_with_positions", why="forgets the 1/sqrt(d_k) scale")
def unscaled(x: torch.Tensor, pe: torch.Tensor | None, w_q: torch.Tensor, w_k: torch.Tensor,
             w_v: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    h = x if pe is None else x + pe[: x.shape[-2]]
    q, k, v = h @ w_q, h @ w_k, h @ w_v
    weights = torch.softmax(q @ k.transpose(-2, -1), dim=-1)
    return weights @ v, weights


@pitfall(replaces="attention_with_positions", why="adds the positions to queries and keys only, not to the values")
def positions_not_in_values(x: torch.Tensor, pe: torch.Tensor | None, w_q: torch.Tensor, w_k: torch.Tensor,
                            w_v: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    h = x if pe is None else x + pe[: x.shape[-2]]
    weights = torch.softmax((h @ w_q) @ (h @ w_k).transpose(-2, -1) / math.sqrt(w_q.shape[-1]), dim=-1)
    return weights @ (x @ w_v), weights


@pitfall(replaces="attention_entropy", why="log base 2 (bits) instead of the natural log (nats)")
def entropy_in_bits(weights: torch.Tensor) -> torch.Tensor:
    return -torch.xlogy(weights, weights).sum(dim=-1).mean(dim=-1) / math.log(2)


@pitfall(replaces="attention_entropy", why="sums the row entropies instead of averaging them")
def entropy_summed_over_rows(weights: torch.Tensor) -> torch.Tensor:
    return -torch.xlogy(weights, weights).sum(dim=-1).sum(dim=-1)


@pitfall(replaces="attention_entropy", why="p * log(p) with p = 0 gives 0 * -inf = NaN")
def entropy_nan_on_zeros(weights: torch.Tensor) -> torch.Tensor:
    return -(weights * weights.log()).sum(dim=-1).mean(dim=-1)


@pitfall(replaces="pooled_order_gap", why="reorders x + pe: the positions travel with their tokens, so order is lost again")
def positions_move_with_tokens(x: torch.Tensor, perm: torch.Tensor, pe: torch.Tensor | None, w_q: torch.Tensor,
                               w_k: torch.Tensor, w_v: torch.Tensor) -> torch.Tensor:
    h = x if pe is None else x + pe[: x.shape[-2]]
    pooled = attention_with_positions(h, None, w_q, w_k, w_v)[0].mean(dim=-2)
    pooled_perm = attention_with_positions(h[..., perm, :], None, w_q, w_k, w_v)[0].mean(dim=-2)
    return torch.linalg.vector_norm(pooled - pooled_perm, dim=-1)
