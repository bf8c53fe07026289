"""Reference solution for nlp-32-2."""
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
    n = grads.shape[0]
    out = grads.clone()
    for i in range(n):
        g = grads[i].clone()
        for j in torch.randperm(n, generator=generator).tolist():
            if j == i:
                continue
            dot = torch.dot(g, grads[j])
            if dot < 0:
                g = g - dot / torch.dot(grads[j], grads[j]) * grads[j]
        out[i] = g
    return out


def annealed_sampling_probs(sizes: Sequence[int], epoch: int, n_epochs: int) -> torch.Tensor:
    """Annealed task sampling (Stickland & Murray, 2019): p_t proportional to n_t ** alpha with

        alpha = 1 - 0.8 * (epoch - 1) / (n_epochs - 1)       (alpha = 1 when n_epochs == 1)

    for epochs 1 .. n_epochs: proportional to size at first, much flatter by the end.

    Shapes:
        returns: (n_tasks,) float64 summing to 1

    Raises:
        ValueError: if a size is < 1, or epoch is not in 1 .. n_epochs.
    """
    if len(sizes) == 0 or min(sizes) < 1 or not 1 <= epoch <= n_epochs:
        raise ValueError(f"bad arguments: {sizes=}, {epoch=}, {n_epochs=}")
    alpha = 1.0 if n_epochs == 1 else 1 - 0.8 * (epoch - 1) / (n_epochs - 1)
    w = torch.tensor(list(sizes), dtype=torch.float64) ** alpha
    return w / w.sum()


def pcgrad_backward(model: nn.Module, losses: Sequence[torch.Tensor], generator: torch.Generator) -> torch.Tensor:
    """Replace loss.backward() for several task losses by their PCGrad combination.

    With params = [p for p in model.parameters() if p.requires_grad], each task's gradient is
    torch.autograd.grad(loss, params, retain_graph=True, allow_unused=True) (None -> zeros), flattened
    and concatenated in params order into one row of an (n_tasks, P) matrix; pcgrad(rows, generator)
    projects them; their sum over tasks is written into each parameter's .grad (replacing it).

    Returns:
        the projected (n_tasks, P) gradients
    """
    params = [p for p in model.parameters() if p.requires_grad]
    rows = []
    for loss in losses:
        grads = torch.autograd.grad(loss, params, retain_graph=True, allow_unused=True)
        rows.append(torch.cat([(torch.zeros_like(p) if g is None else g).reshape(-1) for p, g in zip(params, grads,
                                                                                                    strict=True)]))
    projected = pcgrad(torch.stack(rows), generator)
    total = projected.sum(dim=0)
    offset = 0
    for p in params:
        p.grad = total[offset:offset + p.numel()].view_as(p).clone()
        offset += p.numel()
    return projected
