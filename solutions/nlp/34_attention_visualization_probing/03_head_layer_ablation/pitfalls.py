"""Plausible wrong versions of the ablation functions that the tests must reject."""
from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

import numpy as np
import torch

from grader import lm
from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from ablation import ablated_logits, mean_loss


def _check(model: lm.CharGPT, heads: set, layers: set) -> None:
    L, H = model.cfg.n_layer, model.cfg.n_head
    if any(not (0 <= a < L and 0 <= b < H) for a, b in heads) or any(not 0 <= a < L for a in layers):
        raise ValueError("out of range")


@pitfall(replaces="ablated_logits", why="zeroes the head's slice AFTER the output projection, which mixes all heads")
def zero_after_projection(model: lm.CharGPT, idx: torch.Tensor, heads: Iterable[tuple[int, int]] = (),
                          layers: Iterable[int] = ()) -> torch.Tensor:
    heads, layers = set(heads), set(layers)
    _check(model, heads, layers)
    hd = model.cfg.d_model // model.cfg.n_head
    positions = torch.arange(idx.shape[1])
    with torch.no_grad():
        x = model.embed(idx)
        for i, block in enumerate(model.blocks):
            if i in layers:
                continue
            a = block.attn(block.ln1(x), positions)
            for layer, head in heads:
                if layer == i:
                    a = a.clone()
                    a[..., head * hd:(head + 1) * hd] = 0.0
            x = x + a
            x = x + block.mlp(block.ln2(x))
        return model.head(model.ln_f(x))


@pitfall(replaces="ablated_logits", why="ablates head h in every layer, ignoring the layer of the pair")
def head_in_every_layer(model: lm.CharGPT, idx: torch.Tensor, heads: Iterable[tuple[int, int]] = (),
                        layers: Iterable[int] = ()) -> torch.Tensor:
    heads, layers = set(heads), set(layers)
    _check(model, heads, layers)
    keep = torch.ones(model.cfg.n_head)
    for _, head in heads:
        keep[head] = 0.0
    positions = torch.arange(idx.shape[1])
    with torch.no_grad():
        x = model.embed(idx)
        for i, block in enumerate(model.blocks):
            if i in layers:
                continue
            x = x + block.attn(block.ln1(x), positions, lambda q, k, v: lm.causal_attention(q, k, v) * keep[:, None, None])
            x = x + block.mlp(block.ln2(x))
        return model.head(model.ln_f(x))


@pitfall(replaces="ablated_logits", why="a skipped layer drops only its attention; its MLP still runs")
def skips_attention_only(model: lm.CharGPT, idx: torch.Tensor, heads: Iterable[tuple[int, int]] = (),
                         layers: Iterable[int] = ()) -> torch.Tensor:
    heads, layers = set(heads), set(layers)
    _check(model, heads, layers)
    positions = torch.arange(idx.shape[1])
    with torch.no_grad():
        x = model.embed(idx)
        for i, block in enumerate(model.blocks):
            keep = torch.ones(model.cfg.n_head)
            for layer, head in heads:
                if layer == i:
                    keep[head] = 0.0
            if i not in layers:
                x = x + block.attn(block.ln1(x), positions, lambda q, k, v, keep=keep: lm.causal_attention(q, k, v) * keep[:, None, None])
            x = x + block.mlp(block.ln2(x))
        return model.head(model.ln_f(x))


@pitfall(replaces="ablated_logits", why="a skipped block zeroes the residual stream instead of passing it through")
def zeroes_the_stream(model: lm.CharGPT, idx: torch.Tensor, heads: Iterable[tuple[int, int]] = (),
                      layers: Iterable[int] = ()) -> torch.Tensor:
    heads, layers = set(heads), set(layers)
    _check(model, heads, layers)
    positions = torch.arange(idx.shape[1])
    with torch.no_grad():
        x = model.embed(idx)
        for i, block in enumerate(model.blocks):
            if i in layers:
                x = torch.zeros_like(x)
                continue
            keep = torch.ones(model.cfg.n_head)
            for layer, head in heads:
                if layer == i:
                    keep[head] = 0.0
            x = x + block.attn(block.ln1(x), positions, lambda q, k, v, keep=keep: lm.causal_attention(q, k, v) * keep[:, None, None])
            x = x + block.mlp(block.ln2(x))
        return model.head(model.ln_f(x))


@pitfall(replaces="head_importance", why="clean minus ablated: the sign is reversed, important heads look harmful")
def reversed_sign(model: lm.CharGPT, idx: torch.Tensor, targets: torch.Tensor) -> np.ndarray:
    clean = mean_loss(ablated_logits(model, idx), targets)
    L, H = model.cfg.n_layer, model.cfg.n_head
    return np.array([[clean - mean_loss(ablated_logits(model, idx, heads=[(ly, h)]), targets) for h in range(H)]
                     for ly in range(L)])


@pitfall(replaces="head_importance", why="rows and columns swapped: importance[h, l] instead of [l, h]")
def transposed_importance(model: lm.CharGPT, idx: torch.Tensor, targets: torch.Tensor) -> np.ndarray:
    clean = mean_loss(ablated_logits(model, idx), targets)
    L, H = model.cfg.n_layer, model.cfg.n_head
    return np.array([[mean_loss(ablated_logits(model, idx, heads=[(ly, h)]), targets) - clean for ly in range(L)]
                     for h in range(H)])


@pitfall(replaces="layer_importance", why="cumulative ablation: skips layers 0..l instead of layer l alone")
def cumulative_layers(model: lm.CharGPT, idx: torch.Tensor, targets: torch.Tensor) -> np.ndarray:
    clean = mean_loss(ablated_logits(model, idx), targets)
    return np.array([mean_loss(ablated_logits(model, idx, layers=range(layer + 1)), targets) - clean
                     for layer in range(model.cfg.n_layer)])
