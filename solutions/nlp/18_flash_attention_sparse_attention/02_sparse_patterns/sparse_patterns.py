"""Reference solution for nlp-18-2."""
from __future__ import annotations

import math

import torch


def local_mask(seq_len: int, window: int, causal: bool = False) -> torch.Tensor:
    if window < 1:
        raise ValueError(f"window must be >= 1, got {window}")
    i = torch.arange(seq_len)[:, None]
    j = torch.arange(seq_len)[None, :]
    if causal:
        return (i - j >= 0) & (i - j < window)
    return (i - j).abs() < window


def strided_mask(seq_len: int, stride: int, causal: bool = False) -> torch.Tensor:
    if stride < 1:
        raise ValueError(f"stride must be >= 1, got {stride}")
    i = torch.arange(seq_len)[:, None]
    j = torch.arange(seq_len)[None, :]
    mask = (i - j) % stride == 0
    return mask & (j <= i) if causal else mask


def global_mask(seq_len: int, n_global: int) -> torch.Tensor:
    if n_global < 0:
        raise ValueError(f"n_global must be >= 0, got {n_global}")
    idx = torch.arange(seq_len)
    is_global = idx < n_global
    return is_global[:, None] | is_global[None, :] | torch.eye(seq_len, dtype=torch.bool)


def neighbors(mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    counts = mask.sum(dim=-1)
    m = int(counts.max()) if mask.numel() else 0
    # stable sort puts the allowed columns first, in ascending order
    order = torch.argsort((~mask).to(torch.int8), dim=-1, stable=True)[:, :m]
    valid = torch.arange(m)[None, :] < counts[:, None]
    idx = torch.where(valid, order, torch.zeros_like(order))
    return idx, valid


def sparse_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, idx: torch.Tensor,
                     valid: torch.Tensor) -> torch.Tensor:
    d = q.shape[-1]
    kg = k[..., idx, :]                      # (..., T, m, d)
    vg = v[..., idx, :]
    scores = torch.einsum("...td,...tmd->...tm", q, kg) / math.sqrt(d)
    scores = scores.masked_fill(~valid, float("-inf"))
    weights = torch.softmax(scores, dim=-1)
    return torch.einsum("...tm,...tmd->...td", weights, vg)
