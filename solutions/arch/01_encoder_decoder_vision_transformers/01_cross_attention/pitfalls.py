"""Plausible wrong cross-attention and decoder layers that the tests must reject."""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

import torch
from torch import nn

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from cross_attention import attention


def _attend(query_in: torch.Tensor, source: torch.Tensor, mha: nn.MultiheadAttention, causal: bool,
            key_padding_mask: torch.Tensor | None, *, scale: float | None = None, kv_from_query: bool = False,
            keep_is_true: bool = False, diagonal: int = 1) -> tuple[torch.Tensor, torch.Tensor]:
    if causal and query_in.shape[1] != source.shape[1]:
        raise ValueError("causal attention needs Lq == Lk")
    d, h = mha.embed_dim, mha.num_heads
    dh = d // h
    w, b = mha.in_proj_weight, mha.in_proj_bias
    bq, bk, bv = (None, None, None) if b is None else (b[:d], b[d:2 * d], b[2 * d:])
    kv_in = query_in if kv_from_query else source
    q = nn.functional.linear(query_in, w[:d], bq)
    k = nn.functional.linear(kv_in, w[d:2 * d], bk)
    v = nn.functional.linear(kv_in, w[2 * d:], bv)
    bsz, lq, lk = q.shape[0], q.shape[1], k.shape[1]
    q = q.view(bsz, lq, h, dh).transpose(1, 2)
    k = k.view(bsz, lk, h, dh).transpose(1, 2)
    v = v.view(bsz, lk, h, dh).transpose(1, 2)
    scores = q @ k.transpose(-2, -1) / (math.sqrt(dh) if scale is None else scale)
    if causal:
        scores = scores.masked_fill(torch.ones(lq, lk, dtype=torch.bool).triu(diagonal), float("-inf"))
    if key_padding_mask is not None:
        blocked = ~key_padding_mask if keep_is_true else key_padding_mask
        scores = scores.masked_fill(blocked[:, None, None, :], float("-inf"))
    weights = scores.softmax(dim=-1)
    return mha.out_proj((weights @ v).transpose(1, 2).reshape(bsz, lq, d)), weights


@pitfall(replaces="attention", why="scales the scores by 1/sqrt(d_model) instead of 1/sqrt(d_head)")
def scale_by_model_width(query_in: torch.Tensor, source: torch.Tensor, mha: nn.MultiheadAttention, *,
                         causal: bool = False, key_padding_mask: torch.Tensor | None = None
                         ) -> tuple[torch.Tensor, torch.Tensor]:
    return _attend(query_in, source, mha, causal, key_padding_mask, scale=math.sqrt(mha.embed_dim))


@pitfall(replaces="attention", why="keys and values projected from the decoder stream: self-attention twice, the memory unread")
def keys_from_decoder(query_in: torch.Tensor, source: torch.Tensor, mha: nn.MultiheadAttention, *,
                      causal: bool = False, key_padding_mask: torch.Tensor | None = None
                      ) -> tuple[torch.Tensor, torch.Tensor]:
    mask = key_padding_mask if query_in.shape[1] == source.shape[1] else None
    return _attend(query_in, source, mha, causal, mask, kv_from_query=True)


@pitfall(replaces="attention", why="reads the padding mask as True = keep: attends only to the padding")
def padding_polarity_flipped(query_in: torch.Tensor, source: torch.Tensor, mha: nn.MultiheadAttention, *,
                             causal: bool = False, key_padding_mask: torch.Tensor | None = None
                             ) -> tuple[torch.Tensor, torch.Tensor]:
    return _attend(query_in, source, mha, causal, key_padding_mask, keep_is_true=True)


@pitfall(replaces="attention", why="ignores the memory padding mask")
def padding_ignored(query_in: torch.Tensor, source: torch.Tensor, mha: nn.MultiheadAttention, *,
                    causal: bool = False, key_padding_mask: torch.Tensor | None = None
                    ) -> tuple[torch.Tensor, torch.Tensor]:
    return _attend(query_in, source, mha, causal, None)


@pitfall(replaces="attention", why="causal mask off by one: triu(0) also hides the token itself (row 0 becomes NaN)")
def causal_hides_diagonal(query_in: torch.Tensor, source: torch.Tensor, mha: nn.MultiheadAttention, *,
                          causal: bool = False, key_padding_mask: torch.Tensor | None = None
                          ) -> tuple[torch.Tensor, torch.Tensor]:
    return _attend(query_in, source, mha, causal, key_padding_mask, diagonal=0)


@pitfall(replaces="decoder_layer", why="self-attention without the causal mask: the decoder sees the future")
def decoder_not_causal(layer: nn.TransformerDecoderLayer, tgt: torch.Tensor, memory: torch.Tensor,
                       memory_key_padding_mask: torch.Tensor | None = None) -> torch.Tensor:
    def sa(x: torch.Tensor) -> torch.Tensor:
        return attention(x, x, layer.self_attn)[0]

    def ca(x: torch.Tensor) -> torch.Tensor:
        return attention(x, memory, layer.multihead_attn, key_padding_mask=memory_key_padding_mask)[0]

    def ff(x: torch.Tensor) -> torch.Tensor:
        return layer.linear2(layer.activation(layer.linear1(x)))

    x = tgt
    if layer.norm_first:
        x = x + sa(layer.norm1(x))
        x = x + ca(layer.norm2(x))
        return x + ff(layer.norm3(x))
    x = layer.norm1(x + sa(x))
    x = layer.norm2(x + ca(x))
    return layer.norm3(x + ff(x))


@pitfall(replaces="decoder_layer", why="always post-norm: layer.norm_first is ignored")
def always_post_norm(layer: nn.TransformerDecoderLayer, tgt: torch.Tensor, memory: torch.Tensor,
                     memory_key_padding_mask: torch.Tensor | None = None) -> torch.Tensor:
    x = layer.norm1(tgt + attention(tgt, tgt, layer.self_attn, causal=True)[0])
    x = layer.norm2(x + attention(x, memory, layer.multihead_attn, key_padding_mask=memory_key_padding_mask)[0])
    return layer.norm3(x + layer.linear2(layer.activation(layer.linear1(x))))


@pitfall(replaces="decoder_layer", why="cross-attention queries from the un-updated tgt instead of the self-attention output")
def cross_queries_from_input(layer: nn.TransformerDecoderLayer, tgt: torch.Tensor, memory: torch.Tensor,
                             memory_key_padding_mask: torch.Tensor | None = None) -> torch.Tensor:
    def ca(q: torch.Tensor) -> torch.Tensor:
        return attention(q, memory, layer.multihead_attn, key_padding_mask=memory_key_padding_mask)[0]

    def ff(x: torch.Tensor) -> torch.Tensor:
        return layer.linear2(layer.activation(layer.linear1(x)))

    if layer.norm_first:
        x = tgt + attention(layer.norm1(tgt), layer.norm1(tgt), layer.self_attn, causal=True)[0]
        x = x + ca(layer.norm2(tgt))
        return x + ff(layer.norm3(x))
    x = layer.norm1(tgt + attention(tgt, tgt, layer.self_attn, causal=True)[0])
    x = layer.norm2(x + ca(tgt))
    return layer.norm3(x + ff(x))
