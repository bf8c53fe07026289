"""Plausible wrong multi-head attentions that the tests must reject."""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import torch
from matplotlib.figure import Figure

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from multi_head import MultiHeadAttention, merge_heads, split_heads


@pitfall(replaces="split_heads", why="views as (B, H, L, d_head) straight away instead of (B, L, H, d_head) then transpose")
def split_heads_view_before_transpose(x: torch.Tensor, n_heads: int) -> torch.Tensor:
    b, seq, d = x.shape
    return x.reshape(b, n_heads, seq, d // n_heads)


@pitfall(replaces="merge_heads", why="reshapes (B, H, L, d_head) to (B, L, d) without moving the head axis back")
def merge_heads_without_transpose(x: torch.Tensor) -> torch.Tensor:
    b, h, seq, dh = x.shape
    return x.reshape(b, seq, h * dh)


@pitfall(replaces="MultiHeadAttention.forward", why="scales every head by 1/sqrt(d_model) instead of 1/sqrt(d_head)")
def scale_by_d_model(self: MultiHeadAttention, query: torch.Tensor, key: torch.Tensor, value: torch.Tensor,
                     mask: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    q = split_heads(self.q_proj(query), self.n_heads)
    k = split_heads(self.k_proj(key), self.n_heads)
    v = split_heads(self.v_proj(value), self.n_heads)
    scores = q @ k.transpose(-2, -1) / math.sqrt(self.d_model)
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    weights = torch.softmax(scores, dim=-1)
    return self.out_proj(merge_heads(weights @ v)), weights


@pitfall(replaces="MultiHeadAttention.forward", why="returns the concatenated heads without the output projection")
def no_output_projection(self: MultiHeadAttention, query: torch.Tensor, key: torch.Tensor, value: torch.Tensor,
                         mask: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    q = split_heads(self.q_proj(query), self.n_heads)
    k = split_heads(self.k_proj(key), self.n_heads)
    v = split_heads(self.v_proj(value), self.n_heads)
    scores = q @ k.transpose(-2, -1) / math.sqrt(self.d_head)
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    weights = torch.softmax(scores, dim=-1)
    return merge_heads(weights @ v), weights


@pitfall(replaces="plot_head_heatmaps", why="draws one heatmap of the head-averaged weights")
def plot_average_only(weights: torch.Tensor, tokens: list[str] | None = None) -> Figure:
    fig, ax = plt.subplots()
    ax.imshow(weights.detach().double().mean(0).numpy(), vmin=0.0, vmax=1.0)
    ax.set_title("head 0")
    ax.set_xlabel("key")
    ax.set_ylabel("query")
    return fig


@pitfall(replaces="plot_head_heatmaps", why="draws each map transposed (keys on the y axis)")
def plot_transposed(weights: torch.Tensor, tokens: list[str] | None = None) -> Figure:
    w = weights.detach().double().numpy()
    fig, axes = plt.subplots(1, w.shape[0], squeeze=False)
    for h, ax in enumerate(axes[0]):
        ax.imshow(w[h].T, vmin=0.0, vmax=1.0)
        ax.set_title(f"head {h}")
        ax.set_xlabel("key")
        ax.set_ylabel("query")
        if tokens is not None:
            ax.set_xticks(range(len(tokens)), labels=tokens)
            ax.set_yticks(range(len(tokens)), labels=tokens)
    return fig


@pitfall(replaces="MultiHeadAttention.forward", why="assumes an (Lq, Lk) mask and unsqueezes it to (1, 1, Lq, Lk): "
         "a per-batch or padding mask gains two extra axes")
def mask_always_unsqueezed(self: MultiHeadAttention, query: torch.Tensor, key: torch.Tensor, value: torch.Tensor,
                           mask: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
    q = split_heads(self.q_proj(query), self.n_heads)
    k = split_heads(self.k_proj(key), self.n_heads)
    v = split_heads(self.v_proj(value), self.n_heads)
    scores = q @ k.transpose(-2, -1) / math.sqrt(self.d_head)
    if mask is not None:
        scores = scores.masked_fill(~mask.unsqueeze(0).unsqueeze(0), float("-inf"))
    weights = torch.softmax(scores, dim=-1)
    return self.out_proj(merge_heads(weights @ v)), weights
