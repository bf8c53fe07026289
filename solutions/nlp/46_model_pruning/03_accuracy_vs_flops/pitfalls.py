"""Plausible wrong pieces of the sparsity curve that the tests must reject."""
from __future__ import annotations

import copy

import matplotlib.figure
import torch
import torch.nn.utils.prune as prune
from torch import nn

from grader.pitfalls import pitfall


@pitfall(replaces="prune_linear_weights", why="prunes each layer to the sparsity separately (layer-wise), not globally")
def layerwise(model: nn.Module, sparsity: float) -> nn.Module:
    if not 0.0 <= sparsity <= 1.0:
        raise ValueError("sparsity")
    pruned = copy.deepcopy(model)
    for m in pruned.modules():
        if isinstance(m, nn.Linear):
            prune.l1_unstructured(m, "weight", amount=sparsity)
            prune.remove(m, "weight")
    return pruned


@pitfall(replaces="prune_linear_weights", why="prunes the caller's model in place")
def in_place(model: nn.Module, sparsity: float) -> nn.Module:
    if not 0.0 <= sparsity <= 1.0:
        raise ValueError("sparsity")
    params = [(m, "weight") for m in model.modules() if isinstance(m, nn.Linear)]
    prune.global_unstructured(params, pruning_method=prune.L1Unstructured, amount=sparsity)
    for m, name in params:
        prune.remove(m, name)
    return model


@pitfall(replaces="linear_flops", why="counts dense FLOPs (numel), so pruning never shows a reduction")
def dense_flops(model: nn.Module, n_tokens: int) -> int:
    return sum(2 * n_tokens * m.weight.numel() for m in model.modules() if isinstance(m, nn.Linear))


@pitfall(replaces="linear_flops", why="counts multiply-accumulates (no factor 2): half of what FlopCounterMode reports")
def macs(model: nn.Module, n_tokens: int) -> int:
    return sum(n_tokens * int(torch.count_nonzero(m.weight)) for m in model.modules() if isinstance(m, nn.Linear))


@pitfall(replaces="plot_curve", why="plots the loss against the sparsity, not against the FLOPs reduction")
def against_sparsity(curve: list) -> matplotlib.figure.Figure:
    fig = matplotlib.figure.Figure()
    ax = fig.add_subplot()
    ax.plot([s for s, _, _ in curve], [loss for _, _, loss in curve], marker="o")
    ax.set_xlabel("FLOPs reduction")
    ax.set_ylabel("validation loss (nats)")
    return fig
