"""dl-07-3: a GAN on a 2-D Gaussian mixture, and a metric that detects mode collapse. Edit this file;
`grader check dl-07-3` tests it. Everything is float32."""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F  # noqa: F401  (for your losses)


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
    """How many modes a generator covers, and how many of its samples are good.

    A sample is *high quality* if its nearest centre is within 3·std. A mode is *covered* if at least
    min_fraction of ALL samples are high-quality samples assigned to it (ties in distance go to the
    lower centre index). Returns (number of covered modes, fraction of high-quality samples).

    Shapes:
        samples: (n, 2); centers: (k, 2)
    """
    raise NotImplementedError("mode_coverage: nearest centre, 3·std radius, count per mode")


def train_gan(G: torch.nn.Module, D: torch.nn.Module, steps: int, seed: int, batch: int = 64, g_lr: float = 2e-3,
              d_lr: float = 2e-3, d_every: int = 1) -> list[tuple[float, float]]:
    """Alternating GAN training with the non-saturating generator loss.

    Optimisers: torch.optim.Adam(params, lr, betas=(0.5, 0.999)) for each network. g =
    torch.Generator().manual_seed(seed) is created once. At step t = 0 … steps − 1:
        z = torch.randn(batch, 2, generator=g); fake = G(z)
        if t % d_every == 0: real = sample_mixture(batch, g); one discriminator step on
            BCE-with-logits(D(real), 1) + BCE-with-logits(D(fake.detach()), 0)
        one generator step on BCE-with-logits(D(fake), 1)
    Returns (discriminator loss, generator loss) per step, the discriminator loss being nan on steps
    where it was not updated.
    """
    raise NotImplementedError("train_gan: the alternating loop above")
