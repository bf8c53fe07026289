"""Reference solution for dl-07-3."""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F


def mixture_centers(k: int = 8, radius: float = 2.0) -> torch.Tensor:
    """Given: k mode centres evenly spaced on a circle, (k, 2)."""
    a = torch.arange(k) * 2 * math.pi / k
    return torch.stack([radius * torch.cos(a), radius * torch.sin(a)], dim=1)


def sample_mixture(n: int, g: torch.Generator, k: int = 8, radius: float = 2.0, std: float = 0.05) -> torch.Tensor:
    """Given: n points from the mixture (a uniformly chosen centre plus N(0, std²) noise), (n, 2)."""
    idx = torch.randint(0, k, (n,), generator=g)
    return mixture_centers(k, radius)[idx] + std * torch.randn(n, 2, generator=g)


def mlp(d_in: int, d_out: int, hidden: int = 32) -> torch.nn.Sequential:
    """Given: the generator / discriminator architecture."""
    return torch.nn.Sequential(torch.nn.Linear(d_in, hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, hidden),
                               torch.nn.ReLU(), torch.nn.Linear(hidden, d_out))


def mode_coverage(samples: torch.Tensor, centers: torch.Tensor, std: float,
                  min_fraction: float = 0.02) -> tuple[int, float]:
    dist = torch.cdist(samples, centers)
    nearest, idx = dist.min(dim=1)
    good = nearest <= 3 * std
    counts = torch.bincount(idx[good], minlength=len(centers))
    return int((counts >= min_fraction * len(samples)).sum()), int(good.sum()) / len(samples)


def train_gan(G: torch.nn.Module, D: torch.nn.Module, steps: int, seed: int, batch: int = 64, g_lr: float = 2e-3,
              d_lr: float = 2e-3, d_every: int = 1) -> list[tuple[float, float]]:
    og = torch.optim.Adam(G.parameters(), g_lr, betas=(0.5, 0.999))
    od = torch.optim.Adam(D.parameters(), d_lr, betas=(0.5, 0.999))
    g = torch.Generator().manual_seed(seed)
    ones, zeros = torch.ones(batch, 1), torch.zeros(batch, 1)
    history = []
    for t in range(steps):
        fake = G(torch.randn(batch, 2, generator=g))
        d_loss = float("nan")
        if t % d_every == 0:
            real = sample_mixture(batch, g)
            od.zero_grad()
            ld = (F.binary_cross_entropy_with_logits(D(real), ones)
                  + F.binary_cross_entropy_with_logits(D(fake.detach()), zeros))
            ld.backward()
            od.step()
            d_loss = float(ld.detach())
        og.zero_grad()
        lg = F.binary_cross_entropy_with_logits(D(fake), ones)
        lg.backward()
        og.step()
        history.append((d_loss, float(lg.detach())))
    return history
