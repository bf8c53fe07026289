"""Reference solution for arch-01-1."""
from __future__ import annotations

import math

import torch
from torch import nn


def attention(query_in: torch.Tensor, source: torch.Tensor, mha: nn.MultiheadAttention, *,
              causal: bool = False, key_padding_mask: torch.Tensor | None = None
              ) -> tuple[torch.Tensor, torch.Tensor]:
    if causal and query_in.shape[1] != source.shape[1]:
        raise ValueError(f"causal attention needs Lq == Lk, got {query_in.shape[1]} and {source.shape[1]}")
    d, h = mha.embed_dim, mha.num_heads
    dh = d // h
    w = mha.in_proj_weight
    b = mha.in_proj_bias
    bq, bk, bv = (None, None, None) if b is None else (b[:d], b[d:2 * d], b[2 * d:])
    q = nn.functional.linear(query_in, w[:d], bq)
    k = nn.functional.linear(source, w[d:2 * d], bk)
    v = nn.functional.linear(source, w[2 * d:], bv)
    bsz, lq, lk = q.shape[0], q.shape[1], k.shape[1]
    q = q.view(bsz, lq, h, dh).transpose(1, 2)
    k = k.view(bsz, lk, h, dh).transpose(1, 2)
    v = v.view(bsz, lk, h, dh).transpose(1, 2)
    scores = q @ k.transpose(-2, -1) / math.sqrt(dh)
    if causal:
        future = torch.ones(lq, lk, dtype=torch.bool, device=q.device).triu(1)
        scores = scores.masked_fill(future, float("-inf"))
    if key_padding_mask is not None:
        scores = scores.masked_fill(key_padding_mask[:, None, None, :], float("-inf"))
    weights = scores.softmax(dim=-1)
    out = (weights @ v).transpose(1, 2).reshape(bsz, lq, d)
    return mha.out_proj(out), weights


def decoder_layer(layer: nn.TransformerDecoderLayer, tgt: torch.Tensor, memory: torch.Tensor,
                  memory_key_padding_mask: torch.Tensor | None = None) -> torch.Tensor:
    def self_block(x: torch.Tensor) -> torch.Tensor:
        return attention(x, x, layer.self_attn, causal=True)[0]

    def cross_block(x: torch.Tensor) -> torch.Tensor:
        return attention(x, memory, layer.multihead_attn, key_padding_mask=memory_key_padding_mask)[0]

    def ff_block(x: torch.Tensor) -> torch.Tensor:
        return layer.linear2(layer.activation(layer.linear1(x)))

    x = tgt
    if layer.norm_first:
        x = x + self_block(layer.norm1(x))
        x = x + cross_block(layer.norm2(x))
        x = x + ff_block(layer.norm3(x))
    else:
        x = layer.norm1(x + self_block(x))
        x = layer.norm2(x + cross_block(x))
        x = layer.norm3(x + ff_block(x))
    return x
