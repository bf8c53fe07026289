"""nlp-34-1: attention heatmaps and attention patterns. Edit this file; `grader check nlp-34-1` tests it."""
from __future__ import annotations

import math

import matplotlib.pyplot as plt
import torch
from matplotlib.figure import Figure

from grader import lm


def attention_maps(model: lm.CharGPT, idx: torch.Tensor) -> torch.Tensor:
    """The attention weights of every layer and head of `model` on the id sequences `idx`.

    Runs `model(idx, attention=...)` once with an attention function that computes
    A = softmax(q kᵀ / sqrt(head_dim) with the causal mask), records A, and returns A @ v, so the
    model's output is what its own causal attention gives. Layers are stacked in the order the
    model calls them (layer 0 first). No gradients are recorded.

    Shapes:
        idx: (B, T) int64 character ids
        returns: (B, L, H, T, T) float32, returns[b, l, h, i, j] = weight query i puts on key j
    """
    maps = []

    def record(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
        T = q.shape[-2]
        scores = q @ k.transpose(-1, -2) / math.sqrt(q.shape[-1])
        future = torch.ones(T, T, dtype=torch.bool).triu(1)
        weights = scores.masked_fill(future, float("-inf")).softmax(dim=-1)
        maps.append(weights)
        return weights @ v

    with torch.no_grad():
        model(idx, attention=record)
    return torch.stack(maps, dim=1)


def pattern_scores(maps: torch.Tensor) -> dict[str, torch.Tensor]:
    """How strongly each attention map shows the classic patterns, averaged over query positions.

    For a map A (T, T) with rows that are distributions over keys:
        "previous": mean over queries i = 1..T-1 of A[i, i-1]   (previous-token head)
        "self":     mean over queries i = 0..T-1 of A[i, i]     (attend to yourself)
        "first":    mean over queries i = 0..T-1 of A[i, 0]     (attention sink on the first token)
        "entropy":  mean over queries i of -sum_j A[i, j] ln A[i, j], in nats, with 0 ln 0 = 0
    Works on any leading dimensions (one map, a layer's heads, a batch of models' maps).

    Shapes:
        maps: (..., T, T) float
        returns: dict of four tensors, each of shape maps.shape[:-2], same dtype as maps

    Raises:
        ValueError: if the last two dimensions differ, or T < 2 (no previous token to score).
    """
    T = maps.shape[-1]
    if maps.shape[-2] != T:
        raise ValueError(f"maps must be square in the last two dimensions, got {tuple(maps.shape)}")
    if T < 2:
        raise ValueError("pattern_scores needs at least two positions")
    rows = torch.arange(1, T)
    plogp = maps * maps.clamp_min(torch.finfo(maps.dtype).tiny).log()   # 0 * log(tiny) = 0: no 0 * -inf
    return {
        "previous": maps[..., rows, rows - 1].mean(dim=-1),
        "self": maps.diagonal(dim1=-2, dim2=-1).mean(dim=-1),
        "first": maps[..., :, 0].mean(dim=-1),
        "entropy": -plogp.sum(dim=-1).mean(dim=-1),
    }


def plot_attention(layer_maps: torch.Tensor, tokens: str) -> Figure:
    """One heatmap per head of one layer's maps, with the characters on both axes.

    The figure has exactly H axes, one per head in order, each titled "head h" and showing one image
    of that head's (T, T) map (rows = queries on the y axis, columns = keys on the x axis). The tick
    labels of both axes are the T characters of `tokens` (a space shown as "␣", a newline as "⏎").
    The x axis is labelled "key" and the y axis "query".

    Shapes:
        layer_maps: (H, T, T) float
        tokens: str of length T

    Raises:
        ValueError: if len(tokens) != T.
    """
    H, T, _ = layer_maps.shape
    if len(tokens) != T:
        raise ValueError(f"{len(tokens)} characters for {T} positions")
    labels = [{" ": "␣", "\n": "⏎"}.get(c, c) for c in tokens]
    fig, axes = plt.subplots(1, H, squeeze=False)
    for h, ax in enumerate(axes.ravel()):
        ax.imshow(layer_maps[h].detach().cpu().numpy(), vmin=0.0, vmax=1.0)
        ax.set_title(f"head {h}")
        ax.set_xticks(range(T), labels)
        ax.set_yticks(range(T), labels)
        ax.set_xlabel("key")
        ax.set_ylabel("query")
    return fig
