"""arch-03-2: the DDPM objective and the ancestral sampling step. Edit this file; `grader check arch-03-2` tests it."""
from __future__ import annotations

from collections.abc import Callable

import torch


def _at(v: torch.Tensor, t: torch.Tensor, like: torch.Tensor) -> torch.Tensor:
    """Given: v[t] reshaped to (B, 1, ..., 1) so it broadcasts against `like` (B, ...)."""
    return v[t].reshape(-1, *([1] * (like.dim() - 1)))


def ddpm_loss(eps_model: Callable[[torch.Tensor, torch.Tensor], torch.Tensor], x0: torch.Tensor, t: torch.Tensor,
              betas: torch.Tensor, noise: torch.Tensor) -> torch.Tensor:
    """Ho et al.'s simple objective: mean over every element of (eps_model(x_t, t) - noise)**2,
    with x_t = sqrt(alpha_bar[t]) x0 + sqrt(1 - alpha_bar[t]) noise, alpha_bar = cumprod(1 - betas).

    Shapes:
        x0, noise: (B, ...)     t: int64 (B,), 0-based indices into betas (T,)
        returns: scalar
    """
    raise NotImplementedError("ddpm_loss: noise x0 to x_t, predict the noise, mean squared error")


def posterior_mean_variance(x0: torch.Tensor, x_t: torch.Tensor, t: torch.Tensor,
                            betas: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Mean and variance of the forward-process posterior q(x_{t-1} | x_t, x_0) (DDPM eq. 6-7).

    mean = sqrt(ab_prev) beta_t / (1 - ab_t) x0 + sqrt(alpha_t) (1 - ab_prev) / (1 - ab_t) x_t
    var  = (1 - ab_prev) / (1 - ab_t) beta_t
    with ab_prev = alpha_bar[t - 1], and alpha_bar[-1] taken as 1 at t = 0 (so var = 0 there).

    Shapes:
        x0, x_t: (B, ...)     t: int64 (B,)     betas: (T,)
        returns: mean (B, ...), var (B, ...)
    """
    raise NotImplementedError("posterior_mean_variance")


def p_sample_step(eps_pred: torch.Tensor, x_t: torch.Tensor, t: torch.Tensor, betas: torch.Tensor,
                  noise: torch.Tensor) -> torch.Tensor:
    """One ancestral step x_t -> x_{t-1} from the predicted noise (DDPM Algorithm 2):

    x_{t-1} = (x_t - beta_t / sqrt(1 - ab_t) * eps_pred) / sqrt(alpha_t) + sigma_t * noise,
    sigma_t**2 = the posterior variance above (so the step adds no noise at t = 0).

    Shapes:
        eps_pred, x_t, noise: (B, ...)     t: int64 (B,)     betas: (T,)
        returns: (B, ...)
    """
    raise NotImplementedError("p_sample_step")
