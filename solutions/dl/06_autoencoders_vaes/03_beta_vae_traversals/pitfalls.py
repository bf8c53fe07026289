"""Plausible wrong β-VAE pieces that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import torch
import torch.nn.functional as F

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from beta_vae import VAE, _kl_per_dim, beta_vae_loss


@pitfall(replaces="beta_vae_loss", why="reconstruction as the mean over pixels instead of the sum: the KL dominates 64×")
def recon_mean_over_pixels(model: VAE, x: torch.Tensor, eps: torch.Tensor, beta: float) -> tuple:
    mu, logvar = model.encode(x)
    z = mu + torch.exp(0.5 * logvar) * eps
    recon = F.binary_cross_entropy_with_logits(model.decode(z), x, reduction="none").mean(-1)
    kl = _kl_per_dim(mu, logvar).sum(-1)
    return (recon + beta * kl).mean(), recon.mean(), kl.mean()


@pitfall(replaces="beta_vae_loss", why="β multiplies the reconstruction term instead of the KL")
def beta_on_recon(model: VAE, x: torch.Tensor, eps: torch.Tensor, beta: float) -> tuple:
    mu, logvar = model.encode(x)
    z = mu + torch.exp(0.5 * logvar) * eps
    recon = F.binary_cross_entropy_with_logits(model.decode(z), x, reduction="none").sum(-1)
    kl = _kl_per_dim(mu, logvar).sum(-1)
    return (beta * recon + kl).mean(), recon.mean(), kl.mean()


@pitfall(replaces="beta_vae_loss", why="decodes the mean μ instead of the sample z (no noise: a plain autoencoder)")
def decodes_mean(model: VAE, x: torch.Tensor, eps: torch.Tensor, beta: float) -> tuple:
    mu, logvar = model.encode(x)
    recon = F.binary_cross_entropy_with_logits(model.decode(mu), x, reduction="none").sum(-1)
    kl = _kl_per_dim(mu, logvar).sum(-1)
    return (recon + beta * kl).mean(), recon.mean(), kl.mean()


@pitfall(replaces="train_beta_vae", why="draws the noise once and reuses it every step")
def fixed_noise(model: VAE, X: torch.Tensor, beta: float, steps: int, lr: float, seed: int) -> list[float]:
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    k = model.encode(X[:1])[0].shape[-1]
    eps = torch.randn(len(X), k, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    losses = []
    for _ in range(steps):
        opt.zero_grad()
        loss = beta_vae_loss(model, X, eps, beta)[0]
        loss.backward()
        opt.step()
        losses.append(float(loss.detach()))
    return losses


@pitfall(replaces="latent_traversal", why="sweeps from a zero code instead of the input's posterior mean")
def traverse_from_zero(model: VAE, x: torch.Tensor, dim: int, values: torch.Tensor) -> torch.Tensor:
    with torch.no_grad():
        k = model.encode(x[None])[0].shape[-1]
        if not 0 <= dim < k:
            raise ValueError("dim")
        z = torch.zeros(len(values), k, dtype=torch.float64)
        z[:, dim] = values
        return torch.sigmoid(model.decode(z))


@pitfall(replaces="latent_traversal", why="accepts a negative dim (Python indexing counts from the end)")
def negative_dim_allowed(model: VAE, x: torch.Tensor, dim: int, values: torch.Tensor) -> torch.Tensor:
    with torch.no_grad():
        mu, _ = model.encode(x[None])
        if dim >= mu.shape[-1]:
            raise ValueError("dim")
        z = mu.repeat(len(values), 1)
        z[:, dim] = values
        return torch.sigmoid(model.decode(z))


@pitfall(replaces="active_units", why="counts dimensions by the variance of μ over the data instead of their KL")
def variance_of_means(model: VAE, X: torch.Tensor, threshold: float = 0.01) -> int:
    with torch.no_grad():
        mu, _ = model.encode(X)
        return int((mu.var(0) > threshold).sum())
