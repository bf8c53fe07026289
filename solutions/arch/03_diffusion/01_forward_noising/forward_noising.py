"""Reference solution for arch-03-1."""
from __future__ import annotations

import math

import torch


def linear_betas(num_steps: int, beta_start: float = 1e-4, beta_end: float = 0.02) -> torch.Tensor:
    if num_steps < 1:
        raise ValueError(f"num_steps must be >= 1, got {num_steps}")
    return torch.linspace(beta_start, beta_end, num_steps, dtype=torch.float64)


def cosine_betas(num_steps: int, s: float = 0.008, max_beta: float = 0.999) -> torch.Tensor:
    if num_steps < 1:
        raise ValueError(f"num_steps must be >= 1, got {num_steps}")
    t = torch.arange(num_steps + 1, dtype=torch.float64) / num_steps
    f = torch.cos((t + s) / (1 + s) * math.pi / 2) ** 2
    alpha_bar = f / f[0]
    return torch.clamp(1 - alpha_bar[1:] / alpha_bar[:-1], max=max_beta)


def alpha_bars(betas: torch.Tensor) -> torch.Tensor:
    return torch.cumprod(1 - betas, dim=0)


def q_sample(x0: torch.Tensor, t: torch.Tensor, alpha_bar: torch.Tensor, noise: torch.Tensor) -> torch.Tensor:
    if bool((t < 0).any()) or bool((t >= alpha_bar.shape[0]).any()):
        raise ValueError(f"timesteps must lie in [0, {alpha_bar.shape[0]}), got {t.tolist()}")
    ab = alpha_bar[t].reshape(-1, *([1] * (x0.dim() - 1)))
    return (ab.sqrt() * x0 + (1 - ab).sqrt() * noise).to(x0.dtype)
