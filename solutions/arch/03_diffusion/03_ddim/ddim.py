"""Reference solution for arch-03-3."""
from __future__ import annotations

from collections.abc import Callable

import torch

EpsModel = Callable[[torch.Tensor, int], torch.Tensor]


def ddim_step(eps_pred: torch.Tensor, x_t: torch.Tensor, ab_t: float, ab_prev: float, eta: float = 0.0,
              noise: torch.Tensor | None = None) -> torch.Tensor:
    if eta > 0 and noise is None:
        raise ValueError("eta > 0 needs noise")
    x0_hat = (x_t - (1 - ab_t) ** 0.5 * eps_pred) / ab_t ** 0.5
    sigma = eta * ((1 - ab_prev) / (1 - ab_t) * (1 - ab_t / ab_prev)) ** 0.5
    out = ab_prev ** 0.5 * x0_hat + (1 - ab_prev - sigma ** 2) ** 0.5 * eps_pred
    if eta > 0:
        out = out + sigma * noise
    return out


def ddim_sample(eps_model: EpsModel, x_T: torch.Tensor, alpha_bar: torch.Tensor, timesteps: list[int]) -> torch.Tensor:
    x = x_T
    for i, t in enumerate(timesteps):
        ab_prev = float(alpha_bar[timesteps[i + 1]]) if i + 1 < len(timesteps) else 1.0
        x = ddim_step(eps_model(x, t), x, float(alpha_bar[t]), ab_prev)
    return x


def ddim_invert(eps_model: EpsModel, x0: torch.Tensor, alpha_bar: torch.Tensor, timesteps: list[int]) -> torch.Tensor:
    rev = timesteps[::-1]
    x = x0
    for i, t in enumerate(rev):
        ab_cur = float(alpha_bar[rev[i - 1]]) if i > 0 else 1.0
        eps = eps_model(x, t)        # the timestep whose sampling step this undoes
        x0_hat = (x - (1 - ab_cur) ** 0.5 * eps) / ab_cur ** 0.5
        x = float(alpha_bar[t]) ** 0.5 * x0_hat + (1 - float(alpha_bar[t])) ** 0.5 * eps
    return x
