"""Plausible wrong DDIM steps, samplers and inversions that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import torch

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from ddim import EpsModel, ddim_step


@pitfall(replaces="ddim_step", why="forgets to remove sigma^2 from the direction term: sqrt(1 - ab_prev) for every eta")
def direction_ignores_sigma(eps_pred: torch.Tensor, x_t: torch.Tensor, ab_t: float, ab_prev: float,
                            eta: float = 0.0, noise: torch.Tensor | None = None) -> torch.Tensor:
    if eta > 0 and noise is None:
        raise ValueError("eta > 0 needs noise")
    x0_hat = (x_t - (1 - ab_t) ** 0.5 * eps_pred) / ab_t ** 0.5
    sigma = eta * ((1 - ab_prev) / (1 - ab_t) * (1 - ab_t / ab_prev)) ** 0.5
    out = ab_prev ** 0.5 * x0_hat + (1 - ab_prev) ** 0.5 * eps_pred
    return out + sigma * noise if eta > 0 else out


@pitfall(replaces="ddim_step", why="adds the noise even when eta = 0 (sigma taken as sqrt(1 - ab_t / ab_prev))")
def noisy_at_eta_zero(eps_pred: torch.Tensor, x_t: torch.Tensor, ab_t: float, ab_prev: float,
                      eta: float = 0.0, noise: torch.Tensor | None = None) -> torch.Tensor:
    if eta > 0 and noise is None:
        raise ValueError("eta > 0 needs noise")
    x0_hat = (x_t - (1 - ab_t) ** 0.5 * eps_pred) / ab_t ** 0.5
    sigma = max(eta, 0.5) * ((1 - ab_prev) / (1 - ab_t) * (1 - ab_t / ab_prev)) ** 0.5
    out = ab_prev ** 0.5 * x0_hat + (1 - ab_prev - sigma ** 2) ** 0.5 * eps_pred
    return out + sigma * noise if noise is not None else out


@pitfall(replaces="ddim_sample", why="steps to alpha_bar[t - 1] every time instead of to the next timestep in the list")
def steps_to_t_minus_one(eps_model: EpsModel, x_T: torch.Tensor, alpha_bar: torch.Tensor,
                         timesteps: list[int]) -> torch.Tensor:
    x = x_T
    for t in timesteps:
        ab_prev = float(alpha_bar[t - 1]) if t > 0 else 1.0
        x = ddim_step(eps_model(x, t), x, float(alpha_bar[t]), ab_prev)
    return x


@pitfall(replaces="ddim_sample", why="stops at the last listed timestep instead of stepping on to x0 (ab_prev = 1)")
def no_final_step(eps_model: EpsModel, x_T: torch.Tensor, alpha_bar: torch.Tensor,
                  timesteps: list[int]) -> torch.Tensor:
    x = x_T
    for i, t in enumerate(timesteps[:-1]):
        x = ddim_step(eps_model(x, t), x, float(alpha_bar[t]), float(alpha_bar[timesteps[i + 1]]))
    return x


@pitfall(replaces="ddim_invert", why="evaluates eps at the previous (smaller) timestep instead of the one being undone")
def invert_with_wrong_timestep(eps_model: EpsModel, x0: torch.Tensor, alpha_bar: torch.Tensor,
                               timesteps: list[int]) -> torch.Tensor:
    rev = timesteps[::-1]
    x = x0
    for i, t in enumerate(rev):
        ab_cur = float(alpha_bar[rev[i - 1]]) if i > 0 else 1.0
        eps = eps_model(x, rev[i - 1] if i > 0 else t)
        x = float(alpha_bar[t]) ** 0.5 * (x - (1 - ab_cur) ** 0.5 * eps) / ab_cur ** 0.5 \
            + (1 - float(alpha_bar[t])) ** 0.5 * eps
    return x


@pitfall(replaces="ddim_invert", why="adds fresh-looking noise: the one-shot forward q(x_T | x0) with the model's eps")
def forward_noising_instead(eps_model: EpsModel, x0: torch.Tensor, alpha_bar: torch.Tensor,
                            timesteps: list[int]) -> torch.Tensor:
    t = timesteps[0]
    ab = float(alpha_bar[t])
    return ab ** 0.5 * x0 + (1 - ab) ** 0.5 * eps_model(x0, t)
