"""Plausible wrong versions of the sparse patterns that the tests must reject."""
from __future__ import annotations

import math

import torch

from grader.pitfalls import pitfall


@pitfall(replaces="local_mask", why="|i - j| <= window: one key too many on each side")
def window_inclusive(seq_len: int, window: int, causal: bool = False) -> torch.Tensor:
    if window < 1:
        raise ValueError("window")
    i, j = torch.arange(seq_len)[:, None], torch.arange(seq_len)[None, :]
    return ((i - j >= 0) & (i - j <= window)) if causal else (i - j).abs() <= window


@pitfall(replaces="local_mask", why="causal window looks ahead (j - i) instead of back")
def causal_ahead(seq_len: int, window: int, causal: bool = False) -> torch.Tensor:
    if window < 1:
        raise ValueError("window")
    i, j = torch.arange(seq_len)[:, None], torch.arange(seq_len)[None, :]
    return ((j - i >= 0) & (j - i < window)) if causal else (i - j).abs() < window


@pitfall(replaces="strided_mask", why="keeps the columns j that are multiples of stride (j % stride == 0)")
def fixed_columns(seq_len: int, stride: int, causal: bool = False) -> torch.Tensor:
    if stride < 1:
        raise ValueError("stride")
    i, j = torch.arange(seq_len)[:, None], torch.arange(seq_len)[None, :]
    mask = (j % stride == 0) | (i == j)
    return mask & (j <= i) if causal else mask


@pitfall(replaces="global_mask", why="global tokens attend to everything, but nobody attends to them")
def global_rows_only(seq_len: int, n_global: int) -> torch.Tensor:
    if n_global < 0:
        raise ValueError("n_global")
    g = torch.arange(seq_len) < n_global
    return g[:, None].expand(seq_len, seq_len) | torch.eye(seq_len, dtype=torch.bool)


@pitfall(replaces="neighbors", why="pads to seq_len instead of the longest row (no saving at all)")
def pads_to_t(mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    counts = mask.sum(-1)
    order = torch.argsort((~mask).to(torch.int8), dim=-1, stable=True)
    valid = torch.arange(mask.shape[-1])[None, :] < counts[:, None]
    return torch.where(valid, order, torch.zeros_like(order)), valid


@pitfall(replaces="neighbors", why="lists the allowed keys from the last to the first (descending)")
def descending(mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    counts = mask.sum(-1)
    m = int(counts.max())
    order = mask.shape[-1] - 1 - torch.argsort((~mask.flip(-1)).to(torch.int8), dim=-1, stable=True)[:, :m]
    valid = torch.arange(m)[None, :] < counts[:, None]
    return torch.where(valid, order, torch.zeros_like(order)), valid


@pitfall(replaces="sparse_attention", why="padding slots take part in the softmax (they point at key 0)")
def padding_unmasked(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, idx: torch.Tensor,
                     valid: torch.Tensor) -> torch.Tensor:
    kg, vg = k[..., idx, :], v[..., idx, :]
    w = torch.softmax(torch.einsum("...td,...tmd->...tm", q, kg) / math.sqrt(q.shape[-1]), dim=-1)
    return torch.einsum("...tm,...tmd->...td", w, vg)


@pitfall(replaces="sparse_attention", why="padding zeroed after the softmax instead of excluded from it "
         "(rows no longer sum to one)")
def zero_after_softmax(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, idx: torch.Tensor,
                       valid: torch.Tensor) -> torch.Tensor:
    kg, vg = k[..., idx, :], v[..., idx, :]
    w = torch.softmax(torch.einsum("...td,...tmd->...tm", q, kg) / math.sqrt(q.shape[-1]), dim=-1) * valid
    return torch.einsum("...tm,...tmd->...td", w, vg)
