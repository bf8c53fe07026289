"""arch-03-6: denoising score matching and Langevin sampling. Edit this file; `grader check arch-03-6` tests it."""
from __future__ import annotations

from collections.abc import Callable

import torch

ScoreFn = Callable[[torch.Tensor], torch.Tensor]


def dsm_loss(score_model: ScoreFn, x: torch.Tensor, sigma: float, noise: torch.Tensor) -> torch.Tensor:
    """Denoising score matching (Vincent 2011) at one noise level, weighted by sigma**2:

        x_noisy = x + sigma * noise,   target = -noise / sigma  (= grad log q(x_noisy | x))
        loss = 0.5 * sigma**2 * mean over the batch of || score_model(x_noisy) - target ||**2

    Call score_model once, on x_noisy.

    Shapes:
        x, noise: (B, D)     returns: scalar
    """
    raise NotImplementedError("dsm_loss")


def langevin(score_fn: ScoreFn, x_init: torch.Tensor, step_size: float, n_steps: int, seed: int) -> torch.Tensor:
    """Unadjusted Langevin dynamics: n_steps of x <- x + step_size / 2 * score_fn(x) + sqrt(step_size) * z.

    z = torch.randn(x.shape, generator=g, dtype=x.dtype), one draw per step from
    g = torch.Generator().manual_seed(seed). x_init is not modified; n_steps = 0 returns x_init's values.

    Shapes:
        x_init: (B, D)     returns: (B, D)

    Raises:
        ValueError: if step_size <= 0 or n_steps < 0.
    """
    raise NotImplementedError("langevin")
