"""Plausible wrong score matching and Langevin samplers that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import torch

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from score_langevin import ScoreFn


@pitfall(replaces="dsm_loss", why="target +noise/sigma: the score points away from the data")
def target_sign_flipped(score_model: ScoreFn, x: torch.Tensor, sigma: float, noise: torch.Tensor) -> torch.Tensor:
    diff = score_model(x + sigma * noise) - noise / sigma
    return 0.5 * sigma ** 2 * diff.pow(2).sum(-1).mean()


@pitfall(replaces="dsm_loss", why="evaluates the model on the clean x instead of the noised one")
def score_on_clean_x(score_model: ScoreFn, x: torch.Tensor, sigma: float, noise: torch.Tensor) -> torch.Tensor:
    diff = score_model(x) + noise / sigma
    return 0.5 * sigma ** 2 * diff.pow(2).sum(-1).mean()


@pitfall(replaces="dsm_loss", why="no sigma^2 weighting")
def unweighted(score_model: ScoreFn, x: torch.Tensor, sigma: float, noise: torch.Tensor) -> torch.Tensor:
    diff = score_model(x + sigma * noise) + noise / sigma
    return 0.5 * diff.pow(2).sum(-1).mean()


@pitfall(replaces="langevin", why="noise scaled by sqrt(2 * step_size) with drift step_size / 2: the wrong temperature")
def too_much_noise(score_fn: ScoreFn, x_init: torch.Tensor, step_size: float, n_steps: int, seed: int) -> torch.Tensor:
    if step_size <= 0 or n_steps < 0:
        raise ValueError("bad arguments")
    g = torch.Generator().manual_seed(seed)
    x = x_init
    for _ in range(n_steps):
        x = x + 0.5 * step_size * score_fn(x) + (2 * step_size) ** 0.5 * torch.randn(x.shape, generator=g, dtype=x.dtype)
    return x


@pitfall(replaces="langevin", why="no noise: gradient ascent on log p collapses onto the modes")
def no_noise(score_fn: ScoreFn, x_init: torch.Tensor, step_size: float, n_steps: int, seed: int) -> torch.Tensor:
    if step_size <= 0 or n_steps < 0:
        raise ValueError("bad arguments")
    x = x_init
    for _ in range(n_steps):
        x = x + 0.5 * step_size * score_fn(x)
    return x


@pitfall(replaces="langevin", why="updates x_init in place")
def in_place(score_fn: ScoreFn, x_init: torch.Tensor, step_size: float, n_steps: int, seed: int) -> torch.Tensor:
    if step_size <= 0 or n_steps < 0:
        raise ValueError("bad arguments")
    g = torch.Generator().manual_seed(seed)
    x = x_init
    for _ in range(n_steps):
        x += 0.5 * step_size * score_fn(x) + step_size ** 0.5 * torch.randn(x.shape, generator=g, dtype=x.dtype)
    return x


@pitfall(replaces="langevin", why="draws the noise from torch's global generator")
def global_rng(score_fn: ScoreFn, x_init: torch.Tensor, step_size: float, n_steps: int, seed: int) -> torch.Tensor:
    if step_size <= 0 or n_steps < 0:
        raise ValueError("bad arguments")
    x = x_init
    for _ in range(n_steps):
        x = x + 0.5 * step_size * score_fn(x) + step_size ** 0.5 * torch.randn(x.shape, dtype=x.dtype)
    return x
