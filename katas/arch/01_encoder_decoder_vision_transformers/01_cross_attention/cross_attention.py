"""arch-01-1: encoder-decoder cross-attention. Edit this file; `grader check arch-01-1` tests it."""
from __future__ import annotations

import math  # noqa: F401  (math.sqrt)

import torch
from torch import nn


def attention(query_in: torch.Tensor, source: torch.Tensor, mha: nn.MultiheadAttention, *,
              causal: bool = False, key_padding_mask: torch.Tensor | None = None
              ) -> tuple[torch.Tensor, torch.Tensor]:
    """Multi-head attention computed by hand from the weights of `mha` (batch_first=True).

    Queries are projected from `query_in`, keys and values from `source`: cross-attention when
    `source` is the encoder's memory, self-attention when `source is query_in`. Use the packed
    projection `mha.in_proj_weight` (rows [0:d) for q, [d:2d) for k, [2d:3d) for v), its bias
    `mha.in_proj_bias` (None when the module was built with bias=False) and `mha.out_proj`.
    Scores are scaled by 1/sqrt(d_head), d_head = embed_dim / num_heads.

    causal: query i may attend only to keys j <= i (needs Lq == Lk).
    key_padding_mask: bool (B, Lk), True marks a padded key that no query may attend to
        (torch's convention). Every row keeps at least one key.

    Shapes:
        query_in: (B, Lq, d)     source: (B, Lk, d)
        returns: output (B, Lq, d), per-head attention weights (B, num_heads, Lq, Lk)

    Raises:
        ValueError: if causal is True and Lq != Lk.
    """
    raise NotImplementedError("attention: project q from query_in, k and v from source, then attend per head")


def decoder_layer(layer: nn.TransformerDecoderLayer, tgt: torch.Tensor, memory: torch.Tensor,
                  memory_key_padding_mask: torch.Tensor | None = None) -> torch.Tensor:
    """One nn.TransformerDecoderLayer (batch_first=True, dropout 0) evaluated by hand with its own weights.

    Three sub-blocks, each with a residual connection and a LayerNorm:
        sa(x) = causal self-attention with layer.self_attn
        ca(x) = cross-attention from x to `memory` with layer.multihead_attn (padded memory masked)
        ff(x) = layer.linear2(layer.activation(layer.linear1(x)))
    Post-norm (layer.norm_first False):  x = norm1(x + sa(x)); x = norm2(x + ca(x)); x = norm3(x + ff(x))
    Pre-norm  (layer.norm_first True):   x = x + sa(norm1(x)); x = x + ca(norm2(x)); x = x + ff(norm3(x))

    Shapes:
        tgt: (B, Lt, d)     memory: (B, Ls, d)     memory_key_padding_mask: bool (B, Ls), True = padding
        returns: (B, Lt, d)
    """
    raise NotImplementedError("decoder_layer: causal self-attention, cross-attention, feed-forward")
