"""Reference solution for arch-03-5."""
from __future__ import annotations

from collections.abc import Callable

import torch

EpsModel = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]
Coder = Callable[[torch.Tensor], torch.Tensor]


def latent_scale(z: torch.Tensor) -> float:
    return float(1.0 / z.std(correction=0))


def latent_diffusion_loss(eps_model: EpsModel, encoder: Coder, x: torch.Tensor, t: torch.Tensor,
                          betas: torch.Tensor, noise: torch.Tensor, scale: float) -> torch.Tensor:
    with torch.no_grad():
        z0 = scale * encoder(x)
    ab = torch.cumprod(1 - betas, 0)[t].reshape(-1, 1)
    z_t = ab.sqrt() * z0 + (1 - ab).sqrt() * noise
    return (eps_model(z_t, t) - noise).pow(2).mean()


def sample(eps_model: EpsModel, decoder: Coder, n: int, latent_dim: int, betas: torch.Tensor, scale: float,
           seed: int) -> torch.Tensor:
    if n < 1 or latent_dim < 1:
        raise ValueError(f"need n >= 1 and latent_dim >= 1, got {n=}, {latent_dim=}")
    g = torch.Generator().manual_seed(seed)
    alphas = 1 - betas
    ab = torch.cumprod(alphas, 0)
    ab_prev = torch.cat([torch.ones(1, dtype=ab.dtype), ab[:-1]])
    z = torch.randn(n, latent_dim, generator=g, dtype=betas.dtype)
    with torch.no_grad():
        for step in range(len(betas) - 1, -1, -1):
            t = torch.full((n,), step, dtype=torch.long)
            eps = eps_model(z, t)
            var = (1 - ab_prev[step]) / (1 - ab[step]) * betas[step]
            mean = (z - betas[step] / (1 - ab[step]).sqrt() * eps) / alphas[step].sqrt()
            z = mean + var.sqrt() * torch.randn(z.shape, generator=g, dtype=z.dtype)
        return decoder(z / scale)
