"""nlp-32-2: gradient balancing (PCGrad) and task sampling. Edit this file; `grader check nlp-32-2` tests it."""
from __future__ import annotations

from collections.abc import Sequence

import torch
from torch import nn


def pcgrad(grads: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """Project conflicting task gradients (PCGrad, Yu et al. 2020).

    For each task i in 0 .. n-1: g = grads[i]; then, for j in torch.randperm(n, generator=generator)
    (one permutation drawn per i), skipping j == i: if g . grads[j] < 0, g = g - (g . grads[j]) /
    ||grads[j]||^2 * grads[j] (projected onto the normal plane of the ORIGINAL grads[j]). Row i of
    the result is the final g. The input is not modified.

    Shapes:
        grads: (n_tasks, P) -> (n_tasks, P), same dtype
    """
    raise NotImplementedError("pcgrad: project each task gradient off the conflicting originals, in a seeded random order")


def annealed_sampling_probs(sizes: Sequence[int], epoch: int, n_epochs: int) -> torch.Tensor:
    """Annealed task sampling (Stickland & Murray, 2019): p_t proportional to n_t ** alpha with

        alpha = 1 - 0.8 * (epoch - 1) / (n_epochs - 1)       (alpha = 1 when n_epochs == 1)

    for epochs 1 .. n_epochs: proportional to size at first, much flatter by the end.

    Shapes:
        returns: (n_tasks,) float64 summing to 1

    Raises:
        ValueError: if a size is < 1, or epoch is not in 1 .. n_epochs.
    """
    raise NotImplementedError("annealed_sampling_probs: p proportional to n ** alpha, alpha annealed from 1 to 0.2")


def pcgrad_backward(model: nn.Module, losses: Sequence[torch.Tensor], generator: torch.Generator) -> torch.Tensor:
    """Replace loss.backward() for several task losses by their PCGrad combination.

    With params = [p for p in model.parameters() if p.requires_grad], each task's gradient is
    torch.autograd.grad(loss, params, retain_graph=True, allow_unused=True) (None -> zeros), flattened
    and concatenated in params order into one row of an (n_tasks, P) matrix; pcgrad(rows, generator)
    projects them; their sum over tasks is written into each parameter's .grad (replacing it).

    Returns:
        the projected (n_tasks, P) gradients
    """
    raise NotImplementedError("pcgrad_backward: per-task gradients, PCGrad, their sum into p.grad")
