"""nlp-46-3: sparse model accuracy vs FLOPs. Edit this file; `grader check nlp-46-3` tests it."""
from __future__ import annotations

import matplotlib.figure
import torch
from torch import nn

from grader import lm


def prune_linear_weights(model: nn.Module, sparsity: float) -> nn.Module:
    """A pruned deep copy of `model` (the model itself is unchanged): global magnitude pruning over
    the weights of every nn.Linear together (biases and other parameters untouched), zeroing the
    round(sparsity * total) weights of smallest |w|, as torch.nn.utils.prune.global_unstructured with
    L1Unstructured does, made permanent (plain tensors with zeros, no masks or hooks left).

    Raises:
        ValueError: if sparsity is not in [0, 1].
    """
    raise NotImplementedError("prune_linear_weights")


def linear_flops(model: nn.Module, n_tokens: int) -> int:
    """FLOPs of all nn.Linear matmuls for n_tokens input rows when zero weights are skipped:
    sum over layers of 2 * n_tokens * count_nonzero(weight) (biases not counted). With no zero
    weights this is what FlopCounterMode counts for the dense layers."""
    raise NotImplementedError("linear_flops")


def sparsity_curve(model: nn.Module, sparsities: list[float], val_ids: torch.Tensor,
                   context: int = lm.CONTEXT) -> list[tuple[float, int, float]]:
    """(sparsity, linear FLOPs, validation loss) for each sparsity, in the given order.

    The FLOPs are linear_flops(pruned, n_tokens) with n_tokens the number of tokens
    lm.evaluate_loss scores (whole windows of `context` characters: ((len(val_ids) - 1) // context) *
    context); the loss is lm.evaluate_loss(pruned, val_ids, context).
    """
    raise NotImplementedError("sparsity_curve")


def plot_curve(curve: list[tuple[float, int, float]]) -> matplotlib.figure.Figure:
    """One axes: validation loss (y, labelled "validation loss (nats)") against the FLOPs reduction
    1 - flops / flops of the first point (x, labelled "FLOPs reduction"), one line with a marker per
    point, in the order of `curve`."""
    raise NotImplementedError("plot_curve")
