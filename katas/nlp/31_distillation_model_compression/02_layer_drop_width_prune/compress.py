"""nlp-31-2: progressive layer dropping and structured width pruning. Edit this file; `grader check nlp-31-2` tests it."""
from __future__ import annotations

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
    raise NotImplementedError("pld_keep_probs: theta(t) decays to theta_bar; deeper layers kept less")


def stochastic_depth_forward(model: lm.CharGPT, idx: torch.Tensor, keep_probs: torch.Tensor,
                             generator: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """One training forward pass that skips whole blocks at random.

    keep = torch.rand(n_layers, generator=generator, dtype=torch.float64) < keep_probs decides, with one
    draw, which blocks run; a skipped block is the identity (its residual stream passes through).
    Positions are arange(T) as in CharGPT.forward.

    Shapes:
        idx: (B, T) int64 -> logits (B, T, V), and keep: (n_layers,) bool
    """
    raise NotImplementedError("stochastic_depth_forward: one seeded draw decides which blocks run; skipped blocks are the identity")


def drop_layers(model: lm.CharGPT, keep: Sequence[int]) -> lm.CharGPT:
    """A new, smaller model that keeps only the blocks whose indices are in `keep` (in model order).

    The embedding, final norm and head are copied; the blocks kept are deep copies, so the new model
    shares no tensor with `model`, whose weights are unchanged. cfg.n_layer is updated.

    Raises:
        ValueError: if keep is empty or holds an index outside [0, n_layer) or a repeat.
    """
    raise NotImplementedError("drop_layers: deep copy with only the kept blocks, in model order")


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
    raise NotImplementedError("prune_mlp_width: keep the top-k hidden units by ||w_in|| * ||w_out||")
