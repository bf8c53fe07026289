"""Plausible wrong transformer blocks that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import torch
import torch.nn.functional as F
from torch import nn

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from block import MultiHeadAttention, TransformerBlock


@pitfall(replaces="TransformerBlock.forward", why="pre-norm: overwrites x with norm(x), so the residual carries the normalised stream")
def residual_after_norm(self: TransformerBlock, x: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
    if self.norm_first:
        x = self.norm1(x)
        x = x + self._sa_block(x, mask)
        x = self.norm2(x)
        x = x + self._ff_block(x)
    else:
        x = self.norm1(x + self._sa_block(x, mask))
        x = self.norm2(x + self._ff_block(x))
    return x


@pitfall(replaces="TransformerBlock.forward", why="no residual around the feed-forward network")
def no_ffn_residual(self: TransformerBlock, x: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
    if self.norm_first:
        x = x + self._sa_block(self.norm1(x), mask)
        x = self._ff_block(self.norm2(x))
    else:
        x = self.norm1(x + self._sa_block(x, mask))
        x = self.norm2(self._ff_block(x))
    return x


@pitfall(replaces="TransformerBlock.forward", why="always post-norm: the norm_first flag is ignored")
def ignores_norm_first(self: TransformerBlock, x: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
    x = self.norm1(x + self._sa_block(x, mask))
    return self.norm2(x + self._ff_block(x))


@pitfall(replaces="TransformerBlock.forward", why="F.dropout(x, p) without training=self.training: drops in eval mode too")
def functional_dropout_in_eval(self: TransformerBlock, x: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
    p = self.dropout.p

    def ff(h: torch.Tensor) -> torch.Tensor:
        return F.dropout(self.linear2(F.dropout(self.activation(self.linear1(h)), p)), p)

    def sa(h: torch.Tensor) -> torch.Tensor:
        return F.dropout(self.self_attn(h, h, h, mask=mask)[0], p)

    if self.norm_first:
        x = x + sa(self.norm1(x))
        return x + ff(self.norm2(x))
    x = self.norm1(x + sa(x))
    return self.norm2(x + ff(x))


_original_init = TransformerBlock.__init__


@pitfall(replaces="TransformerBlock.__init__", why="LayerNorm eps hard-coded to 1e-6 instead of layer_norm_eps")
def layer_norm_eps_ignored(self: TransformerBlock, d_model: int, n_heads: int, d_ff: int, dropout: float = 0.0,
                           activation: str = "relu", norm_first: bool = False, layer_norm_eps: float = 1e-5) -> None:
    _original_init(self, d_model, n_heads, d_ff, dropout, activation, norm_first, layer_norm_eps)
    self.norm1 = nn.LayerNorm(d_model, eps=1e-6)
    self.norm2 = nn.LayerNorm(d_model, eps=1e-6)


@pitfall(replaces="TransformerBlock.__init__", why="GELU with the tanh approximation (GPT-2's), not the exact erf GELU torch uses")
def tanh_gelu(self: TransformerBlock, d_model: int, n_heads: int, d_ff: int, dropout: float = 0.0,
              activation: str = "relu", norm_first: bool = False, layer_norm_eps: float = 1e-5) -> None:
    _original_init(self, d_model, n_heads, d_ff, dropout, activation, norm_first, layer_norm_eps)
    if activation == "gelu":
        self.activation = lambda h: F.gelu(h, approximate="tanh")


@pitfall(replaces="TransformerBlock.__init__", why="any activation other than 'gelu' silently becomes ReLU instead of a ValueError")
def unknown_activation_is_relu(self: TransformerBlock, d_model: int, n_heads: int, d_ff: int, dropout: float = 0.0,
                               activation: str = "relu", norm_first: bool = False,
                               layer_norm_eps: float = 1e-5) -> None:
    nn.Module.__init__(self)
    self.self_attn = MultiHeadAttention(d_model, n_heads)
    self.linear1 = nn.Linear(d_model, d_ff)
    self.linear2 = nn.Linear(d_ff, d_model)
    self.norm1 = nn.LayerNorm(d_model, eps=layer_norm_eps)
    self.norm2 = nn.LayerNorm(d_model, eps=layer_norm_eps)
    self.dropout = nn.Dropout(dropout)
    self.dropout1 = nn.Dropout(dropout)
    self.dropout2 = nn.Dropout(dropout)
    self.activation = F.gelu if activation == "gelu" else F.relu
    self.norm_first = norm_first


@pitfall(replaces="TransformerBlock.__init__", why="nn.Dropout() with its default p=0.5 instead of the dropout argument")
def default_dropout(self: TransformerBlock, d_model: int, n_heads: int, d_ff: int, dropout: float = 0.0,
                    activation: str = "relu", norm_first: bool = False, layer_norm_eps: float = 1e-5) -> None:
    nn.Module.__init__(self)
    if activation not in ("relu", "gelu"):
        raise ValueError(f"activation must be 'relu' or 'gelu', not {activation!r}")
    self.self_attn = MultiHeadAttention(d_model, n_heads)
    self.linear1 = nn.Linear(d_model, d_ff)
    self.linear2 = nn.Linear(d_ff, d_model)
    self.norm1 = nn.LayerNorm(d_model, eps=layer_norm_eps)
    self.norm2 = nn.LayerNorm(d_model, eps=layer_norm_eps)
    self.dropout, self.dropout1, self.dropout2 = nn.Dropout(), nn.Dropout(), nn.Dropout()
    self.activation = F.relu if activation == "relu" else F.gelu
    self.norm_first = norm_first
