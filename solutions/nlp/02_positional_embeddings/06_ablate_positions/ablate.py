"""Reference solution for nlp-02-6."""
from __future__ import annotations

import math

import torch


def sinusoidal_table(seq_len: int, d_model: int, base: float = 10000.0) -> torch.Tensor:
    """The sine/cosine position table of Vaswani et al., (seq_len, d_model) float64. Given, complete."""
    if seq_len <= 0 or d_model <= 0 or d_model % 2:
        raise ValueError(f"need positive seq_len and even d_model, got {seq_len=}, {d_model=}")
    angles = torch.arange(seq_len, dtype=torch.float64)[:, None] * base ** (
        -torch.arange(0, d_model, 2, dtype=torch.float64) / d_model)
    return torch.stack([torch.sin(angles), torch.cos(angles)], dim=-1).reshape(seq_len, d_model)


def attention_with_positions(x: torch.Tensor, pe: torch.Tensor | None, w_q: torch.Tensor, w_k: torch.Tensor,
                             w_v: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    h = x if pe is None else x + pe[: x.shape[-2]]
    q, k, v = h @ w_q, h @ w_k, h @ w_v
    weights = torch.softmax(q @ k.transpose(-2, -1) / math.sqrt(w_q.shape[-1]), dim=-1)
    return weights @ v, weights


def attention_entropy(weights: torch.Tensor) -> torch.Tensor:
    return -torch.xlogy(weights, weights).sum(dim=-1).mean(dim=-1)


def pooled_order_gap(x: torch.Tensor, perm: torch.Tensor, pe: torch.Tensor | None, w_q: torch.Tensor,
                     w_k: torch.Tensor, w_v: torch.Tensor) -> torch.Tensor:
    pooled = attention_with_positions(x, pe, w_q, w_k, w_v)[0].mean(dim=-2)
    pooled_perm = attention_with_positions(x[..., perm, :], pe, w_q, w_k, w_v)[0].mean(dim=-2)
    return torch.linalg.vector_norm(pooled - pooled_perm, dim=-1)
