"""nlp-46-1: magnitude pruning and movement pruning. Edit this file; `grader check nlp-46-1` tests it."""
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
    """Keep-mask of unstructured magnitude pruning: False for the n_to_prune(amount, numel) weights
    of smallest |w|, True for the rest. Among tied magnitudes any choice of exactly that many is valid.
    `weight` is not modified.

    Shapes:
        weight: any shape; returns: bool, same shape

    Raises:
        ValueError: if amount is not in [0, 1].
    """
    raise NotImplementedError("magnitude_mask: find the smallest |w|, mask them out")


def global_magnitude_masks(weights: list[torch.Tensor], amount: float) -> list[torch.Tensor]:
    """Global magnitude pruning: rank |w| across ALL tensors together and prune
    n_to_prune(amount, total numel) of them; layers end up with different sparsities.

    Shapes:
        weights: tensors of any shapes; returns: one bool mask per tensor, same shapes

    Raises:
        ValueError: if amount is not in [0, 1].
    """
    raise NotImplementedError("global_magnitude_masks: concatenate, rank globally, split back")


def update_movement_scores(scores: torch.Tensor, weight: torch.Tensor, grad: torch.Tensor) -> torch.Tensor:
    """One step of movement-pruning importance (Sanh et al. 2020): S <- S - W * dL/dW, as a new tensor.

    A weight whose gradient pushes it away from zero (w and -grad of the same sign) gains score; one
    pushed toward zero loses it. Inputs are not modified.

    Shapes:
        scores, weight, grad: the same shape; returns: that shape
    """
    raise NotImplementedError("update_movement_scores")


def movement_mask(scores: torch.Tensor, amount: float) -> torch.Tensor:
    """Keep-mask of movement pruning: False for the n_to_prune(amount, numel) LOWEST (signed) scores.

    Shapes:
        scores: any shape; returns: bool, same shape

    Raises:
        ValueError: if amount is not in [0, 1].
    """
    raise NotImplementedError("movement_mask: prune the lowest scores, not the smallest magnitudes")
