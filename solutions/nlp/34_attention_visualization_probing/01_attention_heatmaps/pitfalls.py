"""Plausible wrong versions of the attention-map functions that the tests must reject."""
from __future__ import annotations

import math

import matplotlib.pyplot as plt
import torch
from matplotlib.figure import Figure

from grader import lm
from grader.pitfalls import pitfall


def _recorder(maps: list, scale: bool = True, causal: bool = True, dim: int = -1, use_own: bool = True):
    def record(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
        T = q.shape[-2]
        scores = q @ k.transpose(-1, -2)
        if scale:
            scores = scores / math.sqrt(q.shape[-1])
        if causal:
            scores = scores.masked_fill(torch.ones(T, T, dtype=torch.bool).triu(1), float("-inf"))
        weights = scores.softmax(dim=dim)
        maps.append(weights)
        if use_own:
            return weights @ v
        return lm.causal_attention(q, k, v) * 0.0
    return record


@pitfall(replaces="attention_maps", why="forgets the 1/sqrt(head_dim) scale: weights far too sharp")
def unscaled(model: lm.CharGPT, idx: torch.Tensor) -> torch.Tensor:
    maps: list = []
    with torch.no_grad():
        model(idx, attention=_recorder(maps, scale=False))
    return torch.stack(maps, dim=1).float()


@pitfall(replaces="attention_maps", why="no causal mask: queries attend to future characters")
def no_mask(model: lm.CharGPT, idx: torch.Tensor) -> torch.Tensor:
    maps: list = []
    with torch.no_grad():
        model(idx, attention=_recorder(maps, causal=False))
    return torch.stack(maps, dim=1).float()


@pitfall(replaces="attention_maps", why="softmax over the query axis (dim=-2): columns, not rows, sum to one")
def softmax_over_queries(model: lm.CharGPT, idx: torch.Tensor) -> torch.Tensor:
    maps: list = []
    with torch.no_grad():
        model(idx, attention=_recorder(maps, dim=-2))
    return torch.stack(maps, dim=1).float()


@pitfall(replaces="attention_maps", why="stacks layers on dim 0 and heads after: (L, B, H, T, T) instead of (B, L, H, T, T)")
def layer_major(model: lm.CharGPT, idx: torch.Tensor) -> torch.Tensor:
    maps: list = []
    with torch.no_grad():
        model(idx, attention=_recorder(maps))
    return torch.stack(maps, dim=0).float().reshape(idx.shape[0], len(maps), *maps[0].shape[1:])


@pitfall(replaces="attention_maps", why="the recorder returns a placeholder instead of A @ v: later layers see a broken model")
def returns_zeros(model: lm.CharGPT, idx: torch.Tensor) -> torch.Tensor:
    maps: list = []
    with torch.no_grad():
        model(idx, attention=_recorder(maps, use_own=False))
    return torch.stack(maps, dim=1).float()


@pitfall(replaces="pattern_scores", why="previous-token score divided by T instead of the T-1 queries that have a previous token")
def previous_over_T(maps: torch.Tensor) -> dict[str, torch.Tensor]:
    T = maps.shape[-1]
    if maps.shape[-2] != T or T < 2:
        raise ValueError("bad maps")
    plogp = torch.where(maps > 0, maps * maps.clamp_min(torch.finfo(maps.dtype).tiny).log(), maps.new_zeros(()))
    return {"previous": maps.diagonal(offset=-1, dim1=-2, dim2=-1).sum(-1) / T,
            "self": maps.diagonal(dim1=-2, dim2=-1).mean(-1),
            "first": maps[..., :, 0].mean(-1),
            "entropy": -plogp.sum(-1).mean(-1)}


@pitfall(replaces="pattern_scores", why="entropy as -sum A log(A): 0 * log 0 gives NaN on exact zeros")
def nan_entropy(maps: torch.Tensor) -> dict[str, torch.Tensor]:
    T = maps.shape[-1]
    if maps.shape[-2] != T or T < 2:
        raise ValueError("bad maps")
    return {"previous": maps.diagonal(offset=-1, dim1=-2, dim2=-1).mean(-1),
            "self": maps.diagonal(dim1=-2, dim2=-1).mean(-1),
            "first": maps[..., :, 0].mean(-1),
            "entropy": -(maps * maps.log()).sum(-1).mean(-1)}


@pitfall(replaces="pattern_scores", why="first-token score reads row 0 (what query 0 attends to) instead of column 0")
def first_row(maps: torch.Tensor) -> dict[str, torch.Tensor]:
    T = maps.shape[-1]
    if maps.shape[-2] != T or T < 2:
        raise ValueError("bad maps")
    plogp = torch.where(maps > 0, maps * maps.clamp_min(torch.finfo(maps.dtype).tiny).log(), maps.new_zeros(()))
    return {"previous": maps.diagonal(offset=-1, dim1=-2, dim2=-1).mean(-1),
            "self": maps.diagonal(dim1=-2, dim2=-1).mean(-1),
            "first": maps[..., 0, :].mean(-1),
            "entropy": -plogp.sum(-1).mean(-1)}


@pitfall(replaces="pattern_scores", why="entropy in bits (log2) although the docstring asks for nats")
def entropy_in_bits(maps: torch.Tensor) -> dict[str, torch.Tensor]:
    T = maps.shape[-1]
    if maps.shape[-2] != T or T < 2:
        raise ValueError("bad maps")
    plogp = torch.where(maps > 0, maps * maps.clamp_min(torch.finfo(maps.dtype).tiny).log2(), maps.new_zeros(()))
    return {"previous": maps.diagonal(offset=-1, dim1=-2, dim2=-1).mean(-1),
            "self": maps.diagonal(dim1=-2, dim2=-1).mean(-1),
            "first": maps[..., :, 0].mean(-1),
            "entropy": -plogp.sum(-1).mean(-1)}


@pitfall(replaces="plot_attention", why="imshow of the transposed map: keys on the y axis, queries on the x axis")
def transposed_plot(layer_maps: torch.Tensor, tokens: str) -> Figure:
    H, T, _ = layer_maps.shape
    if len(tokens) != T:
        raise ValueError("length mismatch")
    labels = [{" ": "␣", "\n": "⏎"}.get(c, c) for c in tokens]
    fig, axes = plt.subplots(1, H, squeeze=False)
    for h, ax in enumerate(axes[0]):
        ax.imshow(layer_maps[h].T.numpy())
        ax.set_title(f"head {h}")
        ax.set_xticks(range(T), labels)
        ax.set_yticks(range(T), labels)
        ax.set_xlabel("key")
        ax.set_ylabel("query")
    return fig
