"""Plausible wrong compression code that the tests must reject."""
from __future__ import annotations

import copy
import dataclasses
import math
from collections.abc import Sequence

import torch
from torch import nn

from grader import lm
from grader.pitfalls import pitfall


@pitfall(replaces="pld_keep_probs", why="drops the shallow layers most: depth weights reversed")
def reversed_depth(step: int, n_layers: int, theta_bar: float = 0.5, gamma: float = 0.01) -> torch.Tensor:
    if step < 0 or n_layers < 1 or not 0.0 < theta_bar <= 1.0:
        raise ValueError("bad arguments")
    theta = (1 - theta_bar) * math.exp(-gamma * step) + theta_bar
    depth = torch.arange(n_layers, 0, -1, dtype=torch.float64) / n_layers
    return 1 - depth * (1 - theta)


@pitfall(replaces="pld_keep_probs", why="counts layers from 0: the first layer is never dropped and the last never reaches theta_bar")
def zero_based_depth(step: int, n_layers: int, theta_bar: float = 0.5, gamma: float = 0.01) -> torch.Tensor:
    if step < 0 or n_layers < 1 or not 0.0 < theta_bar <= 1.0:
        raise ValueError("bad arguments")
    theta = (1 - theta_bar) * math.exp(-gamma * step) + theta_bar
    return 1 - torch.arange(n_layers, dtype=torch.float64) / n_layers * (1 - theta)


@pitfall(replaces="stochastic_depth_forward", why="one coin per layer drawn with the global RNG")
def global_coins(model: lm.CharGPT, idx: torch.Tensor, keep_probs: torch.Tensor,
                 generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    keep = torch.rand(len(model.blocks), dtype=torch.float64) < keep_probs
    positions = torch.arange(idx.shape[1])
    x = model.embed(idx)
    for block, k in zip(model.blocks, keep.tolist(), strict=True):
        if k:
            x = block(x, positions)
    return model.head(model.ln_f(x)), keep


@pitfall(replaces="stochastic_depth_forward", why="a skipped block zeroes the stream instead of passing it through")
def skip_zeroes(model: lm.CharGPT, idx: torch.Tensor, keep_probs: torch.Tensor,
                generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    keep = torch.rand(len(model.blocks), generator=generator, dtype=torch.float64) < keep_probs
    positions = torch.arange(idx.shape[1])
    x = model.embed(idx)
    for block, k in zip(model.blocks, keep.tolist(), strict=True):
        x = block(x, positions) if k else torch.zeros_like(x)
    return model.head(model.ln_f(x)), keep


@pitfall(replaces="drop_layers", why="keeps the blocks in the order given instead of model order")
def keeps_given_order(model: lm.CharGPT, keep: Sequence[int]) -> lm.CharGPT:
    n = len(model.blocks)
    if len(keep) == 0 or len(set(keep)) != len(keep) or any(not 0 <= i < n for i in keep):
        raise ValueError("bad indices")
    small = copy.deepcopy(model)
    small.blocks = nn.ModuleList(small.blocks[i] for i in keep)
    small.cfg = dataclasses.replace(model.cfg, n_layer=len(keep))
    return small


@pitfall(replaces="drop_layers", why="reuses the original block modules: training the small model changes the big one")
def shares_blocks(model: lm.CharGPT, keep: Sequence[int]) -> lm.CharGPT:
    n = len(model.blocks)
    if len(keep) == 0 or len(set(keep)) != len(keep) or any(not 0 <= i < n for i in keep):
        raise ValueError("bad indices")
    small = copy.copy(model)
    nn.Module.__init__(small)
    small.cfg = dataclasses.replace(model.cfg, n_layer=len(keep))
    small.embed, small.ln_f, small.head = model.embed, model.ln_f, model.head
    small.blocks = nn.ModuleList(model.blocks[i] for i in sorted(keep))
    return small


@pitfall(replaces="prune_mlp_width", why="ranks units by the incoming weights only, ignoring how much each unit's output matters")
def input_norm_only(model: lm.CharGPT, keep_fraction: float) -> lm.CharGPT:
    if not 0.0 < keep_fraction <= 1.0:
        raise ValueError("bad fraction")
    small = copy.deepcopy(model)
    k = max(1, round(keep_fraction * model.cfg.d_ff))
    for block in small.blocks:
        kept = torch.sort(torch.sort(-block.fc.weight.norm(dim=1), stable=True).indices[:k]).values
        fc, out = nn.Linear(block.fc.in_features, k), nn.Linear(k, block.out.out_features)
        with torch.no_grad():
            fc.weight.copy_(block.fc.weight[kept])
            fc.bias.copy_(block.fc.bias[kept])
            out.weight.copy_(block.out.weight[:, kept])
            out.bias.copy_(block.out.bias)
        block.fc, block.out = fc, out
    small.cfg = dataclasses.replace(model.cfg, d_ff=k)
    return small


@pitfall(replaces="prune_mlp_width", why="slices the kept units from fc but forgets its bias: each kept unit loses its offset")
def forgets_fc_bias(model: lm.CharGPT, keep_fraction: float) -> lm.CharGPT:
    if not 0.0 < keep_fraction <= 1.0:
        raise ValueError("bad fraction")
    small = copy.deepcopy(model)
    k = max(1, round(keep_fraction * model.cfg.d_ff))
    for block in small.blocks:
        score = block.fc.weight.norm(dim=1) * block.out.weight.norm(dim=0)
        kept = torch.sort(torch.sort(-score, stable=True).indices[:k]).values
        fc, out = nn.Linear(block.fc.in_features, k), nn.Linear(k, block.out.out_features)
        with torch.no_grad():
            fc.weight.copy_(block.fc.weight[kept])
            fc.bias.copy_(block.fc.bias[:k])
            out.weight.copy_(block.out.weight[:, kept])
            out.bias.copy_(block.out.bias)
        block.fc, block.out = fc, out
    small.cfg = dataclasses.replace(model.cfg, d_ff=k)
    return small
