"""Reference solution for arch-03-2."""
from __future__ import annotations

from collections.abc import Callable

import torch


def _at(v: torch.Tensor, t: torch.Tensor, like: torch.Tensor) -> torch.Tensor:
    return v[t].reshape(-1, *([1] * (like.dim() - 1)))


def ddpm_loss(eps_model: Callable[[torch.Tensor, torch.Tensor], torch.Tensor], x0: torch.Tensor, t: torch.Tensor,
              betas: torch.Tensor, noise: torch.Tensor) -> torch.Tensor:
    ab = _at(torch.cumprod(1 - betas, 0), t, x0)
    x_t = ab.sqrt() * x0 + (1 - ab).sqrt() * noise
    return ((eps_model(x_t, t) - noise) ** 2).mean()


def posterior_mean_variance(x0: torch.Tensor, x_t: torch.Tensor, t: torch.Tensor,
                            betas: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    alpha_bar = torch.cumprod(1 - betas, 0)
    prev = torch.cat([torch.ones(1, dtype=alpha_bar.dtype), alpha_bar[:-1]])
    b, ab, ab_prev = _at(betas, t, x0), _at(alpha_bar, t, x0), _at(prev, t, x0)
    mean = ab_prev.sqrt() * b / (1 - ab) * x0 + (1 - b).sqrt() * (1 - ab_prev) / (1 - ab) * x_t
    var = (1 - ab_prev) / (1 - ab) * b
    return mean, var.expand_as(x0)


def p_sample_step(eps_pred: torch.Tensor, x_t: torch.Tensor, t: torch.Tensor, betas: torch.Tensor,
                  noise: torch.Tensor) -> torch.Tensor:
    alpha_bar = torch.cumprod(1 - betas, 0)
    prev = torch.cat([torch.ones(1, dtype=alpha_bar.dtype), alpha_bar[:-1]])
    b, ab, ab_prev = _at(betas, t, x_t), _at(alpha_bar, t, x_t), _at(prev, t, x_t)
    mean = (x_t - b / (1 - ab).sqrt() * eps_pred) / (1 - b).sqrt()
    sigma = ((1 - ab_prev) / (1 - ab) * b).sqrt()
    return mean + sigma * noise
