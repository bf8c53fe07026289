"""arch-03-5: latent diffusion in a small autoencoder's latent space. Edit this file; `grader check arch-03-5` tests it."""
from __future__ import annotations

from collections.abc import Callable

import torch

EpsModel = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]
Coder = Callable[[torch.Tensor], torch.Tensor]


def latent_scale(z: torch.Tensor) -> float:
    """The scale factor that gives the latents unit variance: 1 / (population standard deviation of
    every element of z, correction = 0), as a Python float (Stable Diffusion's 0.18215).

    Shapes:
        z: (B, D), not all elements equal     returns: float
    """
    raise NotImplementedError("latent_scale")


def latent_diffusion_loss(eps_model: EpsModel, encoder: Coder, x: torch.Tensor, t: torch.Tensor,
                          betas: torch.Tensor, noise: torch.Tensor, scale: float) -> torch.Tensor:
    """DDPM's simple objective on the scaled latents of a frozen encoder:

        z0  = scale * encoder(x)        (no gradient reaches the encoder's parameters)
        z_t = sqrt(alpha_bar[t]) z0 + sqrt(1 - alpha_bar[t]) noise,   alpha_bar = cumprod(1 - betas)
        loss = mean over every element of (eps_model(z_t, t) - noise)**2

    Call eps_model once.

    Shapes:
        x: (B, ...)     t: int64 (B,), 0-based indices into betas (T,)     noise, z0: (B, D)
        returns: scalar
    """
    raise NotImplementedError("latent_diffusion_loss")


def sample(eps_model: EpsModel, decoder: Coder, n: int, latent_dim: int, betas: torch.Tensor, scale: float,
           seed: int) -> torch.Tensor:
    """Ancestral DDPM sampling in latent space, then decode the unscaled latents:

        g = torch.Generator().manual_seed(seed)
        z = torch.randn(n, latent_dim, generator=g, dtype=betas.dtype)
        for t = T-1, ..., 0:   eps = eps_model(z, a (n,) int64 tensor filled with t)
            z = (z - beta_t / sqrt(1 - ab_t) * eps) / sqrt(1 - beta_t) + sigma_t * torch.randn(z.shape, generator=g,
                                                                                              dtype=z.dtype)
            with sigma_t**2 = (1 - ab_{t-1}) / (1 - ab_t) * beta_t and ab_{-1} = 1 (no noise at t = 0,
            though the draw is still made)
        return decoder(z / scale)

    Shapes:
        betas: (T,)     returns: decoder's output for (n, latent_dim) latents

    Raises:
        ValueError: if n < 1 or latent_dim < 1.
    """
    raise NotImplementedError("sample")
