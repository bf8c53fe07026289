"""Reference solution for nlp-03-3."""
from __future__ import annotations

import math

import torch


def causal_mask(seq_len: int, device: torch.device | str | None = None) -> torch.Tensor:
    return torch.ones(seq_len, seq_len, dtype=torch.bool, device=device).tril()


def causal_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    seq_len = q.shape[-2]
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    scores = scores.masked_fill(~causal_mask(seq_len, device=q.device), float("-inf"))
    weights = torch.softmax(scores, dim=-1)
    return weights @ v, weights
