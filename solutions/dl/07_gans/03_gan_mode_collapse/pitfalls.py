"""Plausible wrong GAN-on-a-mixture pieces that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import torch
import torch.nn.functional as F

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from gan_mixture import sample_mixture


@pitfall(replaces="mode_coverage", why="counts a mode as covered by any sample assigned to it, ignoring the 3·std quality radius")
def no_quality_radius(samples: torch.Tensor, centers: torch.Tensor, std: float,
                      min_fraction: float = 0.02) -> tuple[int, float]:
    nearest, idx = torch.cdist(samples, centers).min(dim=1)
    counts = torch.bincount(idx, minlength=len(centers))
    return int((counts >= min_fraction * len(samples)).sum()), float((nearest <= 3 * std).float().mean())


@pitfall(replaces="mode_coverage", why="min_fraction taken of the high-quality samples only, not of all samples")
def fraction_of_good(samples: torch.Tensor, centers: torch.Tensor, std: float,
                     min_fraction: float = 0.02) -> tuple[int, float]:
    nearest, idx = torch.cdist(samples, centers).min(dim=1)
    good = nearest <= 3 * std
    counts = torch.bincount(idx[good], minlength=len(centers))
    return int((counts >= min_fraction * max(1, int(good.sum()))).sum()), float(good.float().mean())


@pitfall(replaces="mode_coverage", why="a 1·std radius instead of 3·std")
def one_std(samples: torch.Tensor, centers: torch.Tensor, std: float, min_fraction: float = 0.02) -> tuple[int, float]:
    nearest, idx = torch.cdist(samples, centers).min(dim=1)
    good = nearest <= std
    counts = torch.bincount(idx[good], minlength=len(centers))
    return int((counts >= min_fraction * len(samples)).sum()), float(good.float().mean())


def _train(G: torch.nn.Module, D: torch.nn.Module, steps: int, seed: int, batch: int, g_lr: float, d_lr: float,
           d_every: int, *, minimax: bool = False, detach: bool = True) -> list[tuple[float, float]]:
    og = torch.optim.Adam(G.parameters(), g_lr, betas=(0.5, 0.999))
    od = torch.optim.Adam(D.parameters(), d_lr, betas=(0.5, 0.999))
    g = torch.Generator().manual_seed(seed)
    ones, zeros = torch.ones(batch, 1), torch.zeros(batch, 1)
    out = []
    for t in range(steps):
        fake = G(torch.randn(batch, 2, generator=g))
        dl = float("nan")
        if t % d_every == 0:
            real = sample_mixture(batch, g)
            od.zero_grad()
            ld = (F.binary_cross_entropy_with_logits(D(real), ones)
                  + F.binary_cross_entropy_with_logits(D(fake.detach() if detach else fake), zeros))
            ld.backward(retain_graph=not detach)
            od.step()
            dl = float(ld.detach())
        og.zero_grad()
        lg = -F.binary_cross_entropy_with_logits(D(fake), zeros) if minimax else \
            F.binary_cross_entropy_with_logits(D(fake), ones)
        lg.backward()
        og.step()
        out.append((dl, float(lg.detach())))
    return out


@pitfall(replaces="train_gan", why="the saturating minimax generator loss, log(1 − D(G(z))), instead of the non-saturating one")
def minimax_generator(G: torch.nn.Module, D: torch.nn.Module, steps: int, seed: int, batch: int = 64,
                      g_lr: float = 2e-3, d_lr: float = 2e-3, d_every: int = 1) -> list[tuple[float, float]]:
    return _train(G, D, steps, seed, batch, g_lr, d_lr, d_every, minimax=True)


@pitfall(replaces="train_gan", why="ignores d_every: the discriminator is updated every step")
def ignores_d_every(G: torch.nn.Module, D: torch.nn.Module, steps: int, seed: int, batch: int = 64,
                    g_lr: float = 2e-3, d_lr: float = 2e-3, d_every: int = 1) -> list[tuple[float, float]]:
    return _train(G, D, steps, seed, batch, g_lr, d_lr, 1)
