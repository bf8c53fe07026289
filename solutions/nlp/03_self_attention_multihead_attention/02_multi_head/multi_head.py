"""Reference solution for nlp-03-2."""
from __future__ import annotations

import math

import matplotlib.pyplot as plt
import torch
from matplotlib.figure import Figure
from torch import nn


def split_heads(x: torch.Tensor, n_heads: int) -> torch.Tensor:
    b, seq, d = x.shape
    return x.view(b, seq, n_heads, d // n_heads).transpose(1, 2)


def merge_heads(x: torch.Tensor) -> torch.Tensor:
    b, h, seq, dh = x.shape
    return x.transpose(1, 2).reshape(b, seq, h * dh)


class MultiHeadAttention(nn.Module):
    def __init__(self, d_model: int, n_heads: int, bias: bool = True) -> None:
        super().__init__()
        if d_model % n_heads:
            raise ValueError(f"d_model={d_model} is not divisible by n_heads={n_heads}")
        self.d_model, self.n_heads, self.d_head = d_model, n_heads, d_model // n_heads
        self.q_proj = nn.Linear(d_model, d_model, bias=bias)
        self.k_proj = nn.Linear(d_model, d_model, bias=bias)
        self.v_proj = nn.Linear(d_model, d_model, bias=bias)
        self.out_proj = nn.Linear(d_model, d_model, bias=bias)

    def forward(self, query: torch.Tensor, key: torch.Tensor, value: torch.Tensor,
                mask: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
        q = split_heads(self.q_proj(query), self.n_heads)       # (B, H, Lq, dh)
        k = split_heads(self.k_proj(key), self.n_heads)         # (B, H, Lk, dh)
        v = split_heads(self.v_proj(value), self.n_heads)
        scores = q @ k.transpose(-2, -1) / math.sqrt(self.d_head)
        if mask is not None:
            scores = scores.masked_fill(~mask, float("-inf"))
        weights = torch.softmax(scores, dim=-1)
        return self.out_proj(merge_heads(weights @ v)), weights


def plot_head_heatmaps(weights: torch.Tensor, tokens: list[str] | None = None) -> Figure:
    w = weights.detach().cpu().double().numpy()
    n_heads = w.shape[0]
    fig, axes = plt.subplots(1, n_heads, figsize=(3 * n_heads, 3), squeeze=False)
    for h, ax in enumerate(axes[0]):
        im = ax.imshow(w[h], vmin=0.0, vmax=1.0, cmap="viridis")
        ax.set_title(f"head {h}")
        ax.set_xlabel("key")
        ax.set_ylabel("query")
        if tokens is not None:
            ax.set_xticks(range(len(tokens)), labels=tokens, rotation=90)
            ax.set_yticks(range(len(tokens)), labels=tokens)
    fig.colorbar(im, ax=axes[0].tolist(), shrink=0.8)
    return fig
