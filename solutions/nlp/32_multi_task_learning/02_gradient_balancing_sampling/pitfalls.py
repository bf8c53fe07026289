"""Plausible wrong gradient-balancing and sampling code that the tests must reject."""
from __future__ import annotations

from collections.abc import Sequence

import torch

from grader.pitfalls import pitfall


@pitfall(replaces="pcgrad", why="projects onto the already-projected gradient of task j instead of the original one")
def projects_on_projected(grads: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    out = grads.clone()
    n = grads.shape[0]
    for i in range(n):
        for j in torch.randperm(n, generator=generator).tolist():
            if j == i:
                continue
            dot = torch.dot(out[i], out[j])
            if dot < 0:
                out[i] = out[i] - dot / torch.dot(out[j], out[j]) * out[j]
    return out


@pitfall(replaces="pcgrad", why="projects whenever the gradients are not orthogonal, agreeing ones too")
def projects_always(grads: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    out = grads.clone()
    n = grads.shape[0]
    for i in range(n):
        g = grads[i].clone()
        for j in torch.randperm(n, generator=generator).tolist():
            if j != i:
                g = g - torch.dot(g, grads[j]) / torch.dot(grads[j], grads[j]) * grads[j]
        out[i] = g
    return out


@pitfall(replaces="pcgrad", why="forgets to divide by ||g_j||^2: the projection overshoots or undershoots")
def no_norm(grads: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    out = grads.clone()
    n = grads.shape[0]
    for i in range(n):
        g = grads[i].clone()
        for j in torch.randperm(n, generator=generator).tolist():
            if j != i and torch.dot(g, grads[j]) < 0:
                g = g - torch.dot(g, grads[j]) * grads[j]
        out[i] = g
    return out


@pitfall(replaces="annealed_sampling_probs", why="anneals the wrong way: flat at first, proportional at the end")
def annealed_backwards(sizes: Sequence[int], epoch: int, n_epochs: int) -> torch.Tensor:
    if len(sizes) == 0 or min(sizes) < 1 or not 1 <= epoch <= n_epochs:
        raise ValueError("bad arguments")
    alpha = 1.0 if n_epochs == 1 else 0.2 + 0.8 * (epoch - 1) / (n_epochs - 1)
    w = torch.tensor(list(sizes), dtype=torch.float64) ** alpha
    return w / w.sum()


@pitfall(replaces="annealed_sampling_probs", why="epochs counted from 0: alpha never reaches 0.2")
def zero_based_epoch(sizes: Sequence[int], epoch: int, n_epochs: int) -> torch.Tensor:
    if len(sizes) == 0 or min(sizes) < 1 or not 1 <= epoch <= n_epochs:
        raise ValueError("bad arguments")
    alpha = 1 - 0.8 * (epoch - 1) / n_epochs
    w = torch.tensor(list(sizes), dtype=torch.float64) ** alpha
    return w / w.sum()
