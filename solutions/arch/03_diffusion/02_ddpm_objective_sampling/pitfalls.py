"""Plausible wrong DDPM objectives and sampling steps that the tests must reject."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import torch

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from ddpm_step import _at


def _sched(betas: torch.Tensor, t: torch.Tensor, like: torch.Tensor
           ) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    alpha_bar = torch.cumprod(1 - betas, 0)
    prev = torch.cat([torch.ones(1, dtype=alpha_bar.dtype), alpha_bar[:-1]])
    return _at(betas, t, like), _at(alpha_bar, t, like), _at(prev, t, like)


@pitfall(replaces="ddpm_loss", why="regresses x0 instead of the noise")
def predicts_x0(eps_model: Callable[[torch.Tensor, torch.Tensor], torch.Tensor], x0: torch.Tensor, t: torch.Tensor,
                betas: torch.Tensor, noise: torch.Tensor) -> torch.Tensor:
    _, ab, _ = _sched(betas, t, x0)
    x_t = ab.sqrt() * x0 + (1 - ab).sqrt() * noise
    return ((eps_model(x_t, t) - x0) ** 2).mean()


@pitfall(replaces="ddpm_loss", why="noises with alpha_t (one step) instead of alpha_bar_t (all t steps)")
def one_step_noise(eps_model: Callable[[torch.Tensor, torch.Tensor], torch.Tensor], x0: torch.Tensor, t: torch.Tensor,
                   betas: torch.Tensor, noise: torch.Tensor) -> torch.Tensor:
    a = _at(1 - betas, t, x0)
    x_t = a.sqrt() * x0 + (1 - a).sqrt() * noise
    return ((eps_model(x_t, t) - noise) ** 2).mean()


@pitfall(replaces="posterior_mean_variance", why="posterior variance = beta_t (the upper bound sigma^2 choice), not beta-tilde")
def variance_is_beta(x0: torch.Tensor, x_t: torch.Tensor, t: torch.Tensor,
                     betas: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    b, ab, ab_prev = _sched(betas, t, x0)
    mean = ab_prev.sqrt() * b / (1 - ab) * x0 + (1 - b).sqrt() * (1 - ab_prev) / (1 - ab) * x_t
    return mean, b.expand_as(x0)


@pitfall(replaces="posterior_mean_variance", why="uses alpha_bar_t where alpha_bar_{t-1} belongs")
def ab_prev_off_by_one(x0: torch.Tensor, x_t: torch.Tensor, t: torch.Tensor,
                       betas: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    b, ab, _ = _sched(betas, t, x0)
    ab_prev = ab
    mean = ab_prev.sqrt() * b / (1 - ab) * x0 + (1 - b).sqrt() * (1 - ab_prev) / (1 - ab) * x_t
    return mean, ((1 - ab_prev) / (1 - ab) * b).expand_as(x0)


@pitfall(replaces="p_sample_step", why="adds noise at t = 0 too (sigma_0 = sqrt(beta_0))")
def noise_at_last_step(eps_pred: torch.Tensor, x_t: torch.Tensor, t: torch.Tensor, betas: torch.Tensor,
                       noise: torch.Tensor) -> torch.Tensor:
    b, ab, _ = _sched(betas, t, x_t)
    mean = (x_t - b / (1 - ab).sqrt() * eps_pred) / (1 - b).sqrt()
    return mean + b.sqrt() * noise


@pitfall(replaces="p_sample_step", why="subtracts sqrt(1 - ab_t) * eps instead of beta_t / sqrt(1 - ab_t) * eps")
def wrong_eps_coefficient(eps_pred: torch.Tensor, x_t: torch.Tensor, t: torch.Tensor, betas: torch.Tensor,
                          noise: torch.Tensor) -> torch.Tensor:
    b, ab, ab_prev = _sched(betas, t, x_t)
    mean = (x_t - (1 - ab).sqrt() * eps_pred) / (1 - b).sqrt()
    return mean + ((1 - ab_prev) / (1 - ab) * b).sqrt() * noise


@pitfall(replaces="p_sample_step", why="divides by sqrt(alpha_bar_t) instead of sqrt(alpha_t)")
def divides_by_alpha_bar(eps_pred: torch.Tensor, x_t: torch.Tensor, t: torch.Tensor, betas: torch.Tensor,
                         noise: torch.Tensor) -> torch.Tensor:
    b, ab, ab_prev = _sched(betas, t, x_t)
    mean = (x_t - b / (1 - ab).sqrt() * eps_pred) / ab.sqrt()
    return mean + ((1 - ab_prev) / (1 - ab) * b).sqrt() * noise
