"""arch-03-3: DDIM sampling and inversion. Edit this file; `grader check arch-03-3` tests it."""
from __future__ import annotations

from collections.abc import Callable

import torch

EpsModel = Callable[[torch.Tensor, int], torch.Tensor]


def ddim_step(eps_pred: torch.Tensor, x_t: torch.Tensor, ab_t: float, ab_prev: float, eta: float = 0.0,
              noise: torch.Tensor | None = None) -> torch.Tensor:
    """One DDIM step from noise level ab_t to ab_prev (Song et al. 2021, eq. 12).

    x0_hat = (x_t - sqrt(1 - ab_t) eps_pred) / sqrt(ab_t)
    sigma  = eta * sqrt((1 - ab_prev) / (1 - ab_t)) * sqrt(1 - ab_t / ab_prev)
    x_prev = sqrt(ab_prev) x0_hat + sqrt(1 - ab_prev - sigma**2) eps_pred + sigma * noise
    eta = 0 is deterministic (noise is ignored); eta = 1 is the DDPM ancestral step.

    Shapes:
        eps_pred, x_t, noise: same shape     returns: that shape

    Raises:
        ValueError: if eta > 0 and noise is None.
    """
    raise NotImplementedError("ddim_step")


def ddim_sample(eps_model: EpsModel, x_T: torch.Tensor, alpha_bar: torch.Tensor, timesteps: list[int]) -> torch.Tensor:
    """Deterministic DDIM (eta = 0) from x_T through `timesteps` (strictly decreasing indices into alpha_bar).

    At timesteps[i] call eps_model(x, timesteps[i]) once and step to alpha_bar[timesteps[i + 1]];
    the last step goes to ab_prev = 1, i.e. returns the x0 estimate.

    Shapes:
        x_T: (B, ...)     alpha_bar: (T,)     returns: (B, ...)
    """
    raise NotImplementedError("ddim_sample")


def ddim_invert(eps_model: EpsModel, x0: torch.Tensor, alpha_bar: torch.Tensor, timesteps: list[int]) -> torch.Tensor:
    """DDIM inversion: run the eta = 0 update backwards, from x0 (ab = 1) up to alpha_bar[timesteps[0]].

    Undo the sampling steps in reverse order: the step that sampling took at timestep t is undone with
    eps_model(x, t) evaluated at the current (less noisy) x, then the same eta = 0 formula moves
    from the current level to alpha_bar[t]. Exact when eps_model does not depend on x.

    Shapes:
        x0: (B, ...)     returns: (B, ...), an x_T that ddim_sample maps back to about x0
    """
    raise NotImplementedError("ddim_invert")
