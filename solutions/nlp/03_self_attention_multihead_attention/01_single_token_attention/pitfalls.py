"""Plausible wrong versions of attend / scaled_dot_product_attention that the tests must reject."""
from __future__ import annotations

import math

import torch

from grader.pitfalls import pitfall


@pitfall(replaces="attend", why="forgets the 1/sqrt(d) scale: the softmax is too peaked by sqrt(d)")
def attend_unscaled(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    weights = torch.softmax(k @ q, dim=-1)
    return weights @ v, weights


@pitfall(replaces="attend", why="scores kept as a (1, n) row and softmaxed over dim 0: every weight is 1")
def attend_softmax_wrong_axis(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    scores = q[None, :] @ k.T / math.sqrt(q.shape[-1])     # (1, n)
    weights = torch.softmax(scores, dim=0)[0]
    return weights @ v, weights


@pitfall(replaces="attend", why="softmax written as exp(s) / sum(exp(s)) without subtracting the max: overflows")
def attend_no_max_subtraction(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    e = torch.exp(k @ q / math.sqrt(q.shape[-1]))
    weights = e / e.sum()
    return weights @ v, weights


@pitfall(replaces="scaled_dot_product_attention", why="softmax over the query axis (dim=-2) instead of the keys")
def sdpa_softmax_over_queries(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor,
                              mask: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    weights = torch.softmax(scores, dim=-2)
    return weights @ v, weights


@pitfall(replaces="scaled_dot_product_attention", why="scales by sqrt of the value width dv instead of the key width d")
def sdpa_scaled_by_value_dim(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor,
                             mask: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    scores = q @ k.transpose(-2, -1) / math.sqrt(v.shape[-1])
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    weights = torch.softmax(scores, dim=-1)
    return weights @ v, weights


@pitfall(replaces="scaled_dot_product_attention", why="masks by writing 0 into the scores: exp(0) = 1 still attends")
def sdpa_mask_with_zero(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor,
                        mask: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    if mask is not None:
        scores = scores.masked_fill(~mask, 0.0)
    weights = torch.softmax(scores, dim=-1)
    return weights @ v, weights


@pitfall(replaces="scaled_dot_product_attention", why="softmax in float64 for safety, weights returned float64 for float32 inputs")
def float64_weights(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor,
                    mask: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    scores = (q.double() @ k.double().transpose(-2, -1)) / math.sqrt(q.shape[-1])
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    weights = torch.softmax(scores, dim=-1)
    return (weights @ v.double()).to(q.dtype), weights


@pitfall(replaces="attend", why="upcasts to float64 for the softmax and returns float64 weights")
def attend_float64_weights(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    weights = torch.softmax((k.double() @ q.double()) / math.sqrt(q.shape[-1]), dim=-1)
    return (weights @ v.double()).to(q.dtype), weights
