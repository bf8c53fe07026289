"""nlp-34-3: ablate heads and layers, measure the loss. Edit this file; `grader check nlp-34-3` tests it."""
from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import torch
import torch.nn.functional as F

from grader import lm


def mean_loss(logits: torch.Tensor, targets: torch.Tensor) -> float:
    """Mean next-character cross-entropy in nats, computed in float64."""
    return F.cross_entropy(logits.flatten(0, 1).double(), targets.flatten()).item()


def ablated_logits(model: lm.CharGPT, idx: torch.Tensor, heads: Iterable[tuple[int, int]] = (),
                   layers: Iterable[int] = ()) -> torch.Tensor:
    """The logits of `model` on `idx` with some attention heads and whole blocks knocked out.

    heads: (layer, head) pairs whose attention output (the head's slice of softmax(q kᵀ/√d) v,
        before the output projection) is replaced by zeros.
    layers: block indices skipped entirely: the residual stream passes through them unchanged.
    Everything else is computed as `model(idx)` does (positions arange(T)), without gradients. The
    model is not modified.

    Shapes:
        idx: (B, T) int64
        returns: (B, T, vocab_size) float32

    Raises:
        ValueError: if a layer is not in 0..L-1 or a head not in 0..H-1.
    """
    heads, layers = set(heads), set(layers)
    L, H = model.cfg.n_layer, model.cfg.n_head
    for layer, head in heads:
        if not (0 <= layer < L and 0 <= head < H):
            raise ValueError(f"head ({layer}, {head}) is not in a {L}-layer, {H}-head model")
    for layer in layers:
        if not 0 <= layer < L:
            raise ValueError(f"layer {layer} is not in a {L}-layer model")
    positions = torch.arange(idx.shape[1])
    with torch.no_grad():
        x = model.embed(idx)
        for i, block in enumerate(model.blocks):
            if i in layers:
                continue
            keep = torch.ones(H)
            for layer, head in heads:
                if layer == i:
                    keep[head] = 0.0

            def attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, keep: torch.Tensor = keep) -> torch.Tensor:
                return lm.causal_attention(q, k, v) * keep[:, None, None]

            x = x + block.attn(block.ln1(x), positions, attention)
            x = x + block.mlp(block.ln2(x))
        return model.head(model.ln_f(x))


def head_importance(model: lm.CharGPT, idx: torch.Tensor, targets: torch.Tensor) -> np.ndarray:
    """How much the mean loss rises when each head alone is ablated.

    importance[l, h] = mean_loss(ablated_logits(model, idx, heads=[(l, h)]), targets)
                       - mean_loss(model(idx), targets), in nats.

    Shapes:
        idx, targets: (B, T) int64
        returns: (L, H) float64
    """
    clean = mean_loss(ablated_logits(model, idx), targets)
    L, H = model.cfg.n_layer, model.cfg.n_head
    out = np.zeros((L, H))
    for layer in range(L):
        for head in range(H):
            out[layer, head] = mean_loss(ablated_logits(model, idx, heads=[(layer, head)]), targets) - clean
    return out


def layer_importance(model: lm.CharGPT, idx: torch.Tensor, targets: torch.Tensor) -> np.ndarray:
    """How much the mean loss rises when each block alone is skipped (same definition as heads).

    Shapes:
        idx, targets: (B, T) int64
        returns: (L,) float64
    """
    clean = mean_loss(ablated_logits(model, idx), targets)
    return np.array([mean_loss(ablated_logits(model, idx, layers=[layer]), targets) - clean
                     for layer in range(model.cfg.n_layer)])
