"""Plausible wrong schedules and forward noising that the tests must reject."""
from __future__ import annotations

import math

import torch

from grader.pitfalls import pitfall


@pitfall(replaces="linear_betas", why="arange-style spacing: beta_end is never reached")
def end_excluded(num_steps: int, beta_start: float = 1e-4, beta_end: float = 0.02) -> torch.Tensor:
    if num_steps < 1:
        raise ValueError("num_steps must be >= 1")
    return torch.linspace(beta_start, beta_end, num_steps + 1, dtype=torch.float64)[:-1]


@pitfall(replaces="cosine_betas", why="no clip at max_beta: the last step has beta = 1 and destroys the signal outright")
def cosine_unclipped(num_steps: int, s: float = 0.008, max_beta: float = 0.999) -> torch.Tensor:
    if num_steps < 1:
        raise ValueError("num_steps must be >= 1")
    t = torch.arange(num_steps + 1, dtype=torch.float64) / num_steps
    f = torch.cos((t + s) / (1 + s) * math.pi / 2) ** 2
    return 1 - f[1:] / f[:-1]


@pitfall(replaces="cosine_betas", why="drops the offset s (the schedule of the paper without its small-t fix)")
def cosine_without_offset(num_steps: int, s: float = 0.008, max_beta: float = 0.999) -> torch.Tensor:
    if num_steps < 1:
        raise ValueError("num_steps must be >= 1")
    t = torch.arange(num_steps + 1, dtype=torch.float64) / num_steps
    f = torch.cos(t * math.pi / 2) ** 2
    return torch.clamp(1 - f[1:] / f[:-1], max=max_beta)


@pitfall(replaces="alpha_bars", why="cumulative product of the betas instead of 1 - betas")
def cumprod_of_betas(betas: torch.Tensor) -> torch.Tensor:
    return torch.cumprod(betas, dim=0)


@pitfall(replaces="alpha_bars", why="alpha_bar = 1 - cumsum(betas): the first-order approximation")
def cumsum_approximation(betas: torch.Tensor) -> torch.Tensor:
    return 1 - torch.cumsum(betas, dim=0)


@pitfall(replaces="q_sample", why="noise scaled by 1 - alpha_bar (a variance) instead of sqrt(1 - alpha_bar)")
def variance_as_std(x0: torch.Tensor, t: torch.Tensor, alpha_bar: torch.Tensor, noise: torch.Tensor) -> torch.Tensor:
    if bool((t < 0).any()) or bool((t >= alpha_bar.shape[0]).any()):
        raise ValueError("bad t")
    ab = alpha_bar[t].reshape(-1, *([1] * (x0.dim() - 1)))
    return (ab.sqrt() * x0 + (1 - ab) * noise).to(x0.dtype)


@pitfall(replaces="q_sample", why="1-based timesteps: uses alpha_bar[t - 1]")
def off_by_one_t(x0: torch.Tensor, t: torch.Tensor, alpha_bar: torch.Tensor, noise: torch.Tensor) -> torch.Tensor:
    if bool((t < 0).any()) or bool((t >= alpha_bar.shape[0]).any()):
        raise ValueError("bad t")
    ab = alpha_bar[t - 1].reshape(-1, *([1] * (x0.dim() - 1)))
    return (ab.sqrt() * x0 + (1 - ab).sqrt() * noise).to(x0.dtype)


@pitfall(replaces="q_sample", why="returns float64 for float32 inputs (the schedule's dtype leaks through)")
def dtype_leaks(x0: torch.Tensor, t: torch.Tensor, alpha_bar: torch.Tensor, noise: torch.Tensor) -> torch.Tensor:
    if bool((t < 0).any()) or bool((t >= alpha_bar.shape[0]).any()):
        raise ValueError("bad t")
    ab = alpha_bar[t].reshape(-1, *([1] * (x0.dim() - 1)))
    return ab.sqrt() * x0 + (1 - ab).sqrt() * noise
