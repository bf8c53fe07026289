"""Reference solution for nlp-31-2."""
from __future__ import annotations

import copy
import dataclasses
import math
from collections.abc import Sequence

import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

from grader import lm


def forward_flops(model: nn.Module, idx: torch.Tensor) -> int:
    """Given: FLOPs of one forward pass of `model` on `idx`, counted by torch.utils.flop_counter."""
    with FlopCounterMode(display=False) as counter, torch.no_grad():
        model(idx)
    return counter.get_total_flops()


def pld_keep_probs(step: int, n_layers: int, theta_bar: float = 0.5, gamma: float = 0.01) -> torch.Tensor:
    """Progressive layer dropping (Zhang & He, 2020): the probability of keeping each layer at `step`.

        theta(t) = (1 - theta_bar) * exp(-gamma * t) + theta_bar
        p_l      = 1 - (l / L) * (1 - theta(t))        for layers l = 1 .. L

    Everything is kept at step 0; over time deeper layers are dropped more often, down to
    p_L = theta_bar.

    Shapes:
        returns: (n_layers,) float64, p_1 first

    Raises:
        ValueError: if step < 0, n_layers < 1, or theta_bar is outside (0, 1].
    """
    if step < 0 or n_layers < 1 or not 0.0 < theta_bar <= 1.0:
        raise ValueError(f"bad arguments: {step=}, {n_layers=}, {theta_bar=}")
    theta = (1 - theta_bar) * math.exp(-gamma * step) + theta_bar
    depth = torch.arange(1, n_layers + 1, dtype=torch.float64) / n_layers
    return 1 - depth * (1 - theta)


def stochastic_depth_forward(model: lm.CharGPT, idx: torch.Tensor, keep_probs: torch.Tensor,
                             generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """One training forward pass that skips whole blocks at random.

    keep = torch.rand(n_layers, generator=generator, dtype=torch.float64) < keep_probs decides, with one
    draw, which blocks run; a skipped block is the identity (its residual stream passes through).
    Positions are arange(T) as in CharGPT.forward.

    Shapes:
        idx: (B, T) int64 -> logits (B, T, V), and keep: (n_layers,) bool
    """
    keep = torch.rand(len(model.blocks), generator=generator, dtype=torch.float64) < keep_probs
    positions = torch.arange(idx.shape[1])
    x = model.embed(idx)
    for block, k in zip(model.blocks, keep.tolist(), strict=True):
        if k:
            x = block(x, positions)
    return model.head(model.ln_f(x)), keep


def drop_layers(model: lm.CharGPT, keep: Sequence[int]) -> lm.CharGPT:
    """A new, smaller model that keeps only the blocks whose indices are in `keep` (in model order).

    The embedding, final norm and head are copied; the blocks kept are deep copies, so the new model
    shares no tensor with `model`, whose weights are unchanged. cfg.n_layer is updated.

    Raises:
        ValueError: if keep is empty or holds an index outside [0, n_layer) or a repeat.
    """
    n = len(model.blocks)
    if len(keep) == 0 or len(set(keep)) != len(keep) or any(not 0 <= i < n for i in keep):
        raise ValueError(f"bad layer indices {list(keep)} for a {n}-layer model")
    small = copy.deepcopy(model)
    small.blocks = nn.ModuleList(small.blocks[i] for i in sorted(keep))
    small.cfg = dataclasses.replace(model.cfg, n_layer=len(keep))
    return small


def prune_mlp_width(model: lm.CharGPT, keep_fraction: float) -> lm.CharGPT:
    """Structured width pruning: a new model whose every MLP keeps only its most important hidden units.

    The importance of hidden unit j of a block is ||fc.weight[j, :]|| * ||out.weight[:, j]|| (L2 norms
    of the weights into and out of it). Keep the k = max(1, round(keep_fraction * d_ff)) most
    important units of each block (ties: lower index first), in their original order, by building
    smaller fc and out layers from the kept rows of fc (weight and bias) and columns of out.weight
    (out.bias unchanged). The new model computes exactly what the old one computes with the pruned
    units' activations set to zero; `model` is unchanged. cfg.d_ff is updated.

    Raises:
        ValueError: if keep_fraction is not in (0, 1].
    """
    if not 0.0 < keep_fraction <= 1.0:
        raise ValueError(f"keep_fraction must be in (0, 1], got {keep_fraction}")
    small = copy.deepcopy(model)
    d_ff = model.cfg.d_ff
    k = max(1, round(keep_fraction * d_ff))
    for block in small.blocks:
        score = block.fc.weight.norm(dim=1) * block.out.weight.norm(dim=0)
        order = torch.sort(-score, stable=True).indices
        kept = torch.sort(order[:k]).values
        fc = nn.Linear(block.fc.in_features, k)
        out = nn.Linear(k, block.out.out_features)
        with torch.no_grad():
            fc.weight.copy_(block.fc.weight[kept])
            fc.bias.copy_(block.fc.bias[kept])
            out.weight.copy_(block.out.weight[:, kept])
            out.bias.copy_(block.out.bias)
        fc.requires_grad_(block.fc.weight.requires_grad)
        out.requires_grad_(block.out.weight.requires_grad)
        block.fc, block.out = fc, out
    small.cfg = dataclasses.replace(model.cfg, d_ff=k)
    return small
