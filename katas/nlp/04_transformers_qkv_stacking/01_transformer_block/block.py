"""nlp-04-1: a single transformer block. Edit this file; `grader check nlp-04-1` tests it."""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F  # noqa: F401  (F.relu, F.gelu)
from torch import nn


class MultiHeadAttention(nn.Module):
    """Given, complete (you built it in nlp-03-2): multi-head attention with separate projections.

    forward(query, key, value, mask=None) -> (output (B, Lq, d_model), weights (B, H, Lq, Lk)), with
    a bool mask broadcastable to (B, H, Lq, Lk) where True = may attend.
    """

    def __init__(self, d_model: int, n_heads: int, bias: bool = True) -> None:
        super().__init__()
        if d_model % n_heads:
            raise ValueError(f"d_model={d_model} is not divisible by n_heads={n_heads}")
        self.d_model, self.n_heads, self.d_head = d_model, n_heads, d_model // n_heads
        self.q_proj = nn.Linear(d_model, d_model, bias=bias)
        self.k_proj = nn.Linear(d_model, d_model, bias=bias)
        self.v_proj = nn.Linear(d_model, d_model, bias=bias)
        self.out_proj = nn.Linear(d_model, d_model, bias=bias)

    def _split(self, x: torch.Tensor) -> torch.Tensor:
        b, seq, _ = x.shape
        return x.view(b, seq, self.n_heads, self.d_head).transpose(1, 2)      # (B, H, L, d_head)

    def forward(self, query: torch.Tensor, key: torch.Tensor, value: torch.Tensor,
                mask: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
        q, k, v = self._split(self.q_proj(query)), self._split(self.k_proj(key)), self._split(self.v_proj(value))
        scores = q @ k.transpose(-2, -1) / math.sqrt(self.d_head)
        if mask is not None:
            scores = scores.masked_fill(~mask, float("-inf"))
        weights = torch.softmax(scores, dim=-1)
        out = (weights @ v).transpose(1, 2).reshape(query.shape[0], query.shape[1], self.d_model)
        return self.out_proj(out), weights


class TransformerBlock(nn.Module):
    """One encoder block: self-attention and a feed-forward network, each wrapped in a residual
    connection and a LayerNorm, exactly as torch.nn.TransformerEncoderLayer(batch_first=True).

    Post-norm (norm_first=False, the 2017 paper):
        x = norm1(x + dropout1(self_attn(x, x, x, mask)))
        x = norm2(x + dropout2(ff(x)))
    Pre-norm (norm_first=True, GPT-2 and most modern models):
        x = x + dropout1(self_attn(norm1(x), ..., mask))
        x = x + dropout2(ff(norm2(x)))
    where ff(x) = linear2(dropout(activation(linear1(x)))).

    Use these attribute names (the tests copy TransformerEncoderLayer's weights into them):
        self_attn: MultiHeadAttention(d_model, n_heads)
        linear1: nn.Linear(d_model, d_ff)       linear2: nn.Linear(d_ff, d_model)
        norm1, norm2: nn.LayerNorm(d_model, eps=layer_norm_eps)
        dropout, dropout1, dropout2: nn.Dropout(dropout)
    activation is "relu" or "gelu" (the exact, erf-based GELU); anything else raises ValueError.
    """

    def __init__(self, d_model: int, n_heads: int, d_ff: int, dropout: float = 0.0, activation: str = "relu",
                 norm_first: bool = False, layer_norm_eps: float = 1e-5) -> None:
        super().__init__()
        raise NotImplementedError("TransformerBlock.__init__: create the attention, the two linears, norms, dropouts")

    def forward(self, x: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
        """Shapes:
            x: (B, T, d_model)
            mask: optional bool (T, T), True = may attend (e.g. a causal lower triangle)
            returns: (B, T, d_model)
        """
        raise NotImplementedError("TransformerBlock.forward: attention and FFN sublayers with residuals and norms")
