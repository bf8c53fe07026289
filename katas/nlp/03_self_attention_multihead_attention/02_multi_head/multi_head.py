"""nlp-03-2: multi-head attention. Edit this file; `grader check nlp-03-2` tests it."""
from __future__ import annotations

import math  # noqa: F401  (you will want math.sqrt)

import torch
from matplotlib.figure import Figure
from torch import nn


def split_heads(x: torch.Tensor, n_heads: int) -> torch.Tensor:
    """Cut the feature axis into n_heads consecutive chunks and move the head axis forward.

    Head h owns features h*d_head ... (h+1)*d_head - 1 (the layout nn.MultiheadAttention uses):
    out[b, h, l, :] == x[b, l, h*d_head:(h+1)*d_head].

    Shapes:
        x: (B, L, n_heads * d_head)
        returns: (B, n_heads, L, d_head)
    """
    raise NotImplementedError("split_heads: view the features as (n_heads, d_head), then bring heads forward")


def merge_heads(x: torch.Tensor) -> torch.Tensor:
    """The inverse of split_heads: merge_heads(split_heads(x, h)) == x.

    Shapes:
        x: (B, n_heads, L, d_head)
        returns: (B, L, n_heads * d_head)
    """
    raise NotImplementedError("merge_heads: undo split_heads")


class MultiHeadAttention(nn.Module):
    """Multi-head scaled dot-product attention with separate q/k/v projections and an output projection.

    Each head h attends with its own slice of the projected queries, keys and values, scaled by
    1/sqrt(d_head); the heads' outputs are concatenated and mixed by out_proj.
    The layers below are given: keep their names (the tests copy nn.MultiheadAttention's weights
    into them: in_proj_weight's three row blocks go to q_proj, k_proj, v_proj).
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

    def forward(self, query: torch.Tensor, key: torch.Tensor, value: torch.Tensor,
                mask: torch.Tensor | None = None) -> tuple[torch.Tensor, torch.Tensor]:
        """Attend from every query position to every key position, in every head.

        Shapes:
            query: (B, Lq, d_model)
            key, value: (B, Lk, d_model)
            mask: optional bool, broadcastable to (B, n_heads, Lq, Lk), e.g. (Lq, Lk);
                  True = may attend (every query row has at least one True)
            returns: (output (B, Lq, d_model), weights (B, n_heads, Lq, Lk)), weights per head
        """
        raise NotImplementedError("MultiHeadAttention.forward: project, split, attend per head, merge, project")


def plot_head_heatmaps(weights: torch.Tensor, tokens: list[str] | None = None) -> Figure:
    """One heatmap per head of one example's attention weights.

    Draw weights[h] (queries on the y axis, keys on the x axis) with imshow on its own axes, one axes
    per head, titled f"head {h}", with x label "key" and y label "query". When tokens are given
    (self-attention, len(tokens) == Lq == Lk), use them as the tick labels of both axes.
    Colorbars are allowed (they are not images).

    Shapes:
        weights: (n_heads, Lq, Lk)
        returns: a matplotlib Figure
    """
    raise NotImplementedError("plot_head_heatmaps: one imshow per head")
