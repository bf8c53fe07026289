"""Reference solution for arch-03-6."""
from __future__ import annotations

from collections.abc import Callable

import torch

ScoreFn = Callable[[torch.Tensor], torch.Tensor]


def dsm_loss(score_model: ScoreFn, x: torch.Tensor, sigma: float, noise: torch.Tensor) -> torch.Tensor:
    target = -noise / sigma
    diff = score_model(x + sigma * noise) - target
    return 0.5 * sigma ** 2 * diff.pow(2).sum(-1).mean()


def langevin(score_fn: ScoreFn, x_init: torch.Tensor, step_size: float, n_steps: int, seed: int) -> torch.Tensor:
    if step_size <= 0 or n_steps < 0:
        raise ValueError(f"need step_size > 0 and n_steps >= 0, got {step_size=}, {n_steps=}")
    g = torch.Generator().manual_seed(seed)
    x = x_init
    for _ in range(n_steps):
        z = torch.randn(x.shape, generator=g, dtype=x.dtype)
        x = x + 0.5 * step_size * score_fn(x) + step_size ** 0.5 * z
    return x
