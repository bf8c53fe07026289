"""Plausible wrong GAN losses that the tests must reject."""
from __future__ import annotations

import torch
import torch.nn.functional as F

from grader.pitfalls import pitfall


@pitfall(replaces="discriminator_loss", why="two-sided smoothing: fakes get target smooth instead of 0")
def two_sided_smoothing(real_logits: torch.Tensor, fake_logits: torch.Tensor, smooth: float = 0.0) -> torch.Tensor:
    if not 0.0 <= smooth < 0.5:
        raise ValueError("smooth")
    return (F.binary_cross_entropy_with_logits(real_logits, torch.full_like(real_logits, 1 - smooth))
            + F.binary_cross_entropy_with_logits(fake_logits, torch.full_like(fake_logits, smooth)))


@pitfall(replaces="discriminator_loss", why="log(sigmoid(l)) computed naively: confident logits give inf or nan")
def naive_log(real_logits: torch.Tensor, fake_logits: torch.Tensor, smooth: float = 0.0) -> torch.Tensor:
    if not 0.0 <= smooth < 0.5:
        raise ValueError("smooth")
    pr, pf = torch.sigmoid(real_logits), torch.sigmoid(fake_logits)
    real = -((1 - smooth) * torch.log(pr) + smooth * torch.log(1 - pr)).mean()
    return real - torch.log(1 - pf).mean()


@pitfall(replaces="discriminator_loss", why="one mean over the concatenated batch instead of the sum of two means")
def pooled_mean(real_logits: torch.Tensor, fake_logits: torch.Tensor, smooth: float = 0.0) -> torch.Tensor:
    if not 0.0 <= smooth < 0.5:
        raise ValueError("smooth")
    both = torch.cat([real_logits, fake_logits])
    t = torch.cat([torch.full_like(real_logits, 1 - smooth), torch.zeros_like(fake_logits)])
    return F.binary_cross_entropy_with_logits(both, t)


@pitfall(replaces="generator_loss_minimax", why="sign flipped: −mean log(1 − D), the discriminator's fake term")
def minimax_sign(fake_logits: torch.Tensor) -> torch.Tensor:
    return F.softplus(fake_logits).mean()


@pitfall(replaces="generator_loss_nonsaturating", why="'non-saturating' written as −minimax: still saturates, wrong value")
def ns_as_negated_minimax(fake_logits: torch.Tensor) -> torch.Tensor:
    return F.softplus(fake_logits).mean()


@pitfall(replaces="generator_loss_nonsaturating", why="sum over the batch instead of the mean")
def ns_sum(fake_logits: torch.Tensor) -> torch.Tensor:
    return F.softplus(-fake_logits).sum()
