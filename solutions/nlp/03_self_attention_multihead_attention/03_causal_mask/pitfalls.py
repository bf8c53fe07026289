"""Plausible wrong causal masks and masked attentions that the tests must reject."""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

import torch

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from causal import causal_mask


@pitfall(replaces="causal_mask", why="strictly lower triangle: the diagonal is masked too, position 0 sees nothing")
def mask_hides_the_diagonal(seq_len: int, device: torch.device | str | None = None) -> torch.Tensor:
    return torch.ones(seq_len, seq_len, dtype=torch.bool, device=device).tril(-1)


@pitfall(replaces="causal_mask", why="tril(1): every position also sees the next token")
def mask_allows_one_future_token(seq_len: int, device: torch.device | str | None = None) -> torch.Tensor:
    return torch.ones(seq_len, seq_len, dtype=torch.bool, device=device).tril(1)


@pitfall(replaces="causal_mask", why="upper triangle: the mask is transposed, positions see the future")
def mask_transposed(seq_len: int, device: torch.device | str | None = None) -> torch.Tensor:
    return torch.ones(seq_len, seq_len, dtype=torch.bool, device=device).triu()


@pitfall(replaces="causal_attention", why="writes 0 into the masked scores instead of -inf: exp(0) = 1 leaks the future")
def masked_with_zero(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    scores = scores.masked_fill(~causal_mask(q.shape[-2]), 0.0)
    weights = torch.softmax(scores, dim=-1)
    return weights @ v, weights


@pitfall(replaces="causal_attention", why="zeroes the future weights after the softmax without renormalising")
def masked_after_softmax(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    weights = torch.softmax(scores, dim=-1) * causal_mask(q.shape[-2])
    return weights @ v, weights


@pitfall(replaces="causal_mask", why="ignores device: the mask is always made on the CPU")
def ignores_device(seq_len: int, device: torch.device | str | None = None) -> torch.Tensor:
    return torch.ones(seq_len, seq_len, dtype=torch.bool).tril()


@pitfall(replaces="causal_attention", why="softmax in float64 and the weights returned float64 for float32 inputs")
def float64_weights(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    scores = q.double() @ k.double().transpose(-2, -1) / math.sqrt(q.shape[-1])
    scores = scores.masked_fill(~causal_mask(q.shape[-2]), float("-inf"))
    weights = torch.softmax(scores, dim=-1)
    return (weights @ v.double()).to(q.dtype), weights
