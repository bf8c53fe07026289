"""Reference solution for nlp-46-1."""
from __future__ import annotations

import torch


def n_to_prune(amount: float, numel: int) -> int:
    """Given: how many of `numel` weights a fraction `amount` prunes, as torch.nn.utils.prune counts it.

    round(amount * numel) with Python's round (ties to even: 0.5 * 5 = 2.5 -> 2).

    Raises:
        ValueError: if amount is not in [0, 1].
    """
    if not 0.0 <= amount <= 1.0:
        raise ValueError(f"amount must be a fraction in [0, 1], got {amount}")
    return round(amount * numel)


def magnitude_mask(weight: torch.Tensor, amount: float) -> torch.Tensor:
    k = n_to_prune(amount, weight.numel())
    mask = torch.ones(weight.numel(), dtype=torch.bool)
    if k:
        mask[torch.topk(weight.abs().reshape(-1), k, largest=False).indices] = False
    return mask.reshape(weight.shape)


def global_magnitude_masks(weights: list[torch.Tensor], amount: float) -> list[torch.Tensor]:
    flat = torch.cat([w.detach().abs().reshape(-1) for w in weights])
    keep = magnitude_mask(flat, amount)
    return [m.reshape(w.shape) for m, w in zip(keep.split([w.numel() for w in weights]), weights, strict=True)]


def update_movement_scores(scores: torch.Tensor, weight: torch.Tensor, grad: torch.Tensor) -> torch.Tensor:
    return scores - weight * grad


def movement_mask(scores: torch.Tensor, amount: float) -> torch.Tensor:
    k = n_to_prune(amount, scores.numel())
    mask = torch.ones(scores.numel(), dtype=torch.bool)
    if k:
        mask[torch.topk(scores.reshape(-1), k, largest=False).indices] = False
    return mask.reshape(scores.shape)
