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
    raise NotImplementedError("ablated_logits: zero the chosen heads, skip the chosen blocks")


def head_importance(model: lm.CharGPT, idx: torch.Tensor, targets: torch.Tensor) -> np.ndarray:
    """How much the mean loss rises when each head alone is ablated.

    importance[l, h] = mean_loss(ablated_logits(model, idx, heads=[(l, h)]), targets)
                       - mean_loss(model(idx), targets), in nats.

    Shapes:
        idx, targets: (B, T) int64
        returns: (L, H) float64
    """
    raise NotImplementedError("head_importance: loss increase for each single-head ablation")


def layer_importance(model: lm.CharGPT, idx: torch.Tensor, targets: torch.Tensor) -> np.ndarray:
    """How much the mean loss rises when each block alone is skipped (same definition as heads).

    Shapes:
        idx, targets: (B, T) int64
        returns: (L,) float64
    """
    raise NotImplementedError("layer_importance: loss increase for each skipped block")
