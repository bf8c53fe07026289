"""Plausible wrong latent-diffusion pieces that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import torch

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from latent_diffusion import Coder, EpsModel


@pitfall(replaces="latent_scale", why="returns the standard deviation instead of its inverse")
def std_not_inverse(z: torch.Tensor) -> float:
    return float(z.std(correction=0))


@pitfall(replaces="latent_scale", why="unbiased (n - 1) standard deviation")
def unbiased_std(z: torch.Tensor) -> float:
    return float(1.0 / z.std())


@pitfall(replaces="latent_diffusion_loss", why="forgets to multiply the latents by scale")
def unscaled_latents(eps_model: EpsModel, encoder: Coder, x: torch.Tensor, t: torch.Tensor,
                     betas: torch.Tensor, noise: torch.Tensor, scale: float) -> torch.Tensor:
    with torch.no_grad():
        z0 = encoder(x)
    ab = torch.cumprod(1 - betas, 0)[t].reshape(-1, 1)
    return (eps_model(ab.sqrt() * z0 + (1 - ab).sqrt() * noise, t) - noise).pow(2).mean()


@pitfall(replaces="latent_diffusion_loss", why="encodes with gradients on: training the noise model also moves the encoder")
def encoder_not_frozen(eps_model: EpsModel, encoder: Coder, x: torch.Tensor, t: torch.Tensor,
                       betas: torch.Tensor, noise: torch.Tensor, scale: float) -> torch.Tensor:
    z0 = scale * encoder(x)
    ab = torch.cumprod(1 - betas, 0)[t].reshape(-1, 1)
    return (eps_model(ab.sqrt() * z0 + (1 - ab).sqrt() * noise, t) - noise).pow(2).mean()


@pitfall(replaces="latent_diffusion_loss", why="divides the latents by scale instead of multiplying")
def divides_by_scale(eps_model: EpsModel, encoder: Coder, x: torch.Tensor, t: torch.Tensor,
                     betas: torch.Tensor, noise: torch.Tensor, scale: float) -> torch.Tensor:
    with torch.no_grad():
        z0 = encoder(x) / scale
    ab = torch.cumprod(1 - betas, 0)[t].reshape(-1, 1)
    return (eps_model(ab.sqrt() * z0 + (1 - ab).sqrt() * noise, t) - noise).pow(2).mean()


def _loop(eps_model: EpsModel, n: int, latent_dim: int, betas: torch.Tensor, seed: int,
          var_fn: str = "posterior") -> torch.Tensor:
    g = torch.Generator().manual_seed(seed)
    ab = torch.cumprod(1 - betas, 0)
    ab_prev = torch.cat([torch.ones(1, dtype=ab.dtype), ab[:-1]])
    z = torch.randn(n, latent_dim, generator=g, dtype=betas.dtype)
    with torch.no_grad():
        for step in range(len(betas) - 1, -1, -1):
            eps = eps_model(z, torch.full((n,), step, dtype=torch.long))
            var = betas[step] if var_fn == "beta" else (1 - ab_prev[step]) / (1 - ab[step]) * betas[step]
            mean = (z - betas[step] / (1 - ab[step]).sqrt() * eps) / (1 - betas[step]).sqrt()
            z = mean + var.sqrt() * torch.randn(z.shape, generator=g, dtype=z.dtype)
    return z


@pitfall(replaces="sample", why="decodes the scaled latents (forgets z / scale)")
def decodes_scaled(eps_model: EpsModel, decoder: Coder, n: int, latent_dim: int, betas: torch.Tensor, scale: float,
                   seed: int) -> torch.Tensor:
    if n < 1 or latent_dim < 1:
        raise ValueError("empty")
    with torch.no_grad():
        return decoder(_loop(eps_model, n, latent_dim, betas, seed))


@pitfall(replaces="sample", why="sigma_t^2 = beta_t: adds noise at the last step too")
def beta_variance(eps_model: EpsModel, decoder: Coder, n: int, latent_dim: int, betas: torch.Tensor, scale: float,
                  seed: int) -> torch.Tensor:
    if n < 1 or latent_dim < 1:
        raise ValueError("empty")
    with torch.no_grad():
        return decoder(_loop(eps_model, n, latent_dim, betas, seed, "beta") / scale)


@pitfall(replaces="sample", why="walks the time steps forwards (0, ..., T-1)")
def forward_time(eps_model: EpsModel, decoder: Coder, n: int, latent_dim: int, betas: torch.Tensor, scale: float,
                 seed: int) -> torch.Tensor:
    if n < 1 or latent_dim < 1:
        raise ValueError("empty")
    g = torch.Generator().manual_seed(seed)
    ab = torch.cumprod(1 - betas, 0)
    ab_prev = torch.cat([torch.ones(1, dtype=ab.dtype), ab[:-1]])
    z = torch.randn(n, latent_dim, generator=g, dtype=betas.dtype)
    with torch.no_grad():
        for step in range(len(betas)):
            eps = eps_model(z, torch.full((n,), step, dtype=torch.long))
            var = (1 - ab_prev[step]) / (1 - ab[step]) * betas[step]
            z = (z - betas[step] / (1 - ab[step]).sqrt() * eps) / (1 - betas[step]).sqrt() \
                + var.sqrt() * torch.randn(z.shape, generator=g, dtype=z.dtype)
        return decoder(z / scale)
