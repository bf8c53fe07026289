"""Reference solution for nlp-03-1."""
from __future__ import annotations

import math

import torch


def attend(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    scores = k @ q / math.sqrt(q.shape[-1])          # (n,)
    scores = scores - scores.max()                    # exp(<= 0) cannot overflow
    e = torch.exp(scores)
    weights = e / e.sum()
    return weights @ v, weights


def scaled_dot_product_attention(
    q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, mask: torch.Tensor | None = None
) -> tuple[torch.Tensor, torch.Tensor]:
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])   # (..., Lq, Lk)
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    weights = torch.softmax(scores, dim=-1)                      # over the keys
    return weights @ v, weights
