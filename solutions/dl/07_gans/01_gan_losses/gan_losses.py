"""Reference solution for dl-07-1."""
from __future__ import annotations

import torch
import torch.nn.functional as F


def discriminator_loss(real_logits: torch.Tensor, fake_logits: torch.Tensor, smooth: float = 0.0) -> torch.Tensor:
    if not 0.0 <= smooth < 0.5:
        raise ValueError(f"smooth must be in [0, 0.5), got {smooth}")
    real = F.binary_cross_entropy_with_logits(real_logits, torch.full_like(real_logits, 1.0 - smooth))
    fake = F.binary_cross_entropy_with_logits(fake_logits, torch.zeros_like(fake_logits))
    return real + fake


def generator_loss_minimax(fake_logits: torch.Tensor) -> torch.Tensor:
    return -F.softplus(fake_logits).mean()  # log(1 − σ(l)) = −softplus(l)


def generator_loss_nonsaturating(fake_logits: torch.Tensor) -> torch.Tensor:
    return F.softplus(-fake_logits).mean()  # −log σ(l) = softplus(−l)
