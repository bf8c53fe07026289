"""Reference solution for dl-06-3."""
from __future__ import annotations

import torch
import torch.nn.functional as F


class VAE(torch.nn.Module):
    """Given: an MLP VAE (float64). encode(x) -> (mu, logvar), each (N, k); decode(z) -> logits (N, D)."""

    def __init__(self, d: int, k: int, hidden: int = 64) -> None:
        super().__init__()
        self.enc = torch.nn.Sequential(torch.nn.Linear(d, hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, 2 * k))
        self.dec = torch.nn.Sequential(torch.nn.Linear(k, hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, d))
        self.double()

    def encode(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        mu, logvar = self.enc(x).chunk(2, dim=-1)
        return mu, logvar

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        return self.dec(z)


def _kl_per_dim(mu: torch.Tensor, logvar: torch.Tensor) -> torch.Tensor:
    return 0.5 * (logvar.exp() + mu ** 2 - 1 - logvar)


def beta_vae_loss(model: VAE, x: torch.Tensor, eps: torch.Tensor, beta: float) -> tuple[torch.Tensor, torch.Tensor,
                                                                                        torch.Tensor]:
    mu, logvar = model.encode(x)
    z = mu + torch.exp(0.5 * logvar) * eps
    recon = F.binary_cross_entropy_with_logits(model.decode(z), x, reduction="none").sum(-1)
    kl = _kl_per_dim(mu, logvar).sum(-1)
    return (recon + beta * kl).mean(), recon.mean(), kl.mean()


def train_beta_vae(model: VAE, X: torch.Tensor, beta: float, steps: int, lr: float, seed: int) -> list[float]:
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    g = torch.Generator().manual_seed(seed)
    k = model.encode(X[:1])[0].shape[-1]
    losses = []
    for _ in range(steps):
        eps = torch.randn(len(X), k, generator=g, dtype=torch.float64)
        opt.zero_grad()
        loss, _, _ = beta_vae_loss(model, X, eps, beta)
        loss.backward()
        opt.step()
        losses.append(float(loss.detach()))
    return losses


def latent_traversal(model: VAE, x: torch.Tensor, dim: int, values: torch.Tensor) -> torch.Tensor:
    with torch.no_grad():
        mu, _ = model.encode(x[None])
        if not 0 <= dim < mu.shape[-1]:
            raise ValueError(f"dim {dim} out of range for {mu.shape[-1]} latent dimensions")
        z = mu.repeat(len(values), 1)
        z[:, dim] = values
        return torch.sigmoid(model.decode(z))


def active_units(model: VAE, X: torch.Tensor, threshold: float = 0.01) -> int:
    with torch.no_grad():
        mu, logvar = model.encode(X)
        return int((_kl_per_dim(mu, logvar).mean(0) > threshold).sum())
