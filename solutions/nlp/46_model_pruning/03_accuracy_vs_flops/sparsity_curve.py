"""Reference solution for nlp-46-3."""
from __future__ import annotations

import copy

import matplotlib.figure
import torch
import torch.nn.utils.prune as prune
from torch import nn

from grader import lm


def prune_linear_weights(model: nn.Module, sparsity: float) -> nn.Module:
    if not 0.0 <= sparsity <= 1.0:
        raise ValueError(f"sparsity must be in [0, 1], got {sparsity}")
    pruned = copy.deepcopy(model)
    params = [(m, "weight") for m in pruned.modules() if isinstance(m, nn.Linear)]
    prune.global_unstructured(params, pruning_method=prune.L1Unstructured, amount=sparsity)
    for m, name in params:
        prune.remove(m, name)
    return pruned


def linear_flops(model: nn.Module, n_tokens: int) -> int:
    return sum(2 * n_tokens * int(torch.count_nonzero(m.weight)) for m in model.modules() if isinstance(m, nn.Linear))


def sparsity_curve(model: nn.Module, sparsities: list[float], val_ids: torch.Tensor,
                   context: int = lm.CONTEXT) -> list[tuple[float, int, float]]:
    n_tokens = ((len(val_ids) - 1) // context) * context
    out = []
    for s in sparsities:
        pruned = prune_linear_weights(model, s)
        out.append((s, linear_flops(pruned, n_tokens), lm.evaluate_loss(pruned, val_ids, context)))
    return out


def plot_curve(curve: list[tuple[float, int, float]]) -> matplotlib.figure.Figure:
    fig = matplotlib.figure.Figure(figsize=(5, 3.5))
    ax = fig.add_subplot()
    base = curve[0][1]
    ax.plot([1 - f / base for _, f, _ in curve], [loss for _, _, loss in curve], marker="o")
    ax.set_xlabel("FLOPs reduction")
    ax.set_ylabel("validation loss (nats)")
    ax.set_title("magnitude-pruned char GPT")
    return fig
