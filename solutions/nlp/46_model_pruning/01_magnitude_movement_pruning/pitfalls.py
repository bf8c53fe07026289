"""Plausible wrong pruning masks that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import torch

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from pruning import magnitude_mask, n_to_prune


@pitfall(replaces="magnitude_mask", why="int(amount * numel): floors where torch.nn.utils.prune rounds")
def floors_count(weight: torch.Tensor, amount: float) -> torch.Tensor:
    n_to_prune(amount, weight.numel())
    k = int(amount * weight.numel())
    mask = torch.ones(weight.numel(), dtype=torch.bool)
    if k:
        mask[torch.topk(weight.abs().reshape(-1), k, largest=False).indices] = False
    return mask.reshape(weight.shape)


@pitfall(replaces="magnitude_mask", why="ranks the signed weights: prunes the most negative, not the smallest |w|")
def no_abs(weight: torch.Tensor, amount: float) -> torch.Tensor:
    k = n_to_prune(amount, weight.numel())
    mask = torch.ones(weight.numel(), dtype=torch.bool)
    if k:
        mask[torch.topk(weight.reshape(-1), k, largest=False).indices] = False
    return mask.reshape(weight.shape)


@pitfall(replaces="magnitude_mask", why="thresholds at the k-th smallest |w| with <=: ties at the threshold prune more than k weights")
def threshold_ties(weight: torch.Tensor, amount: float) -> torch.Tensor:
    k = n_to_prune(amount, weight.numel())
    if k == 0:
        return torch.ones(weight.shape, dtype=torch.bool)
    kth = torch.kthvalue(weight.detach().abs().reshape(-1), k).values
    return weight.detach().abs() > kth


@pitfall(replaces="global_magnitude_masks", why="prunes each layer by `amount` separately: layer-wise, not global")
def layerwise(weights: list[torch.Tensor], amount: float) -> list[torch.Tensor]:
    return [magnitude_mask(w.detach(), amount) for w in weights]


@pitfall(replaces="update_movement_scores", why="S + W * grad: the sign of the movement score flipped")
def flipped_scores(scores: torch.Tensor, weight: torch.Tensor, grad: torch.Tensor) -> torch.Tensor:
    return scores + weight * grad


@pitfall(replaces="update_movement_scores", why="accumulates |W * grad|: loses the direction of movement")
def abs_scores(scores: torch.Tensor, weight: torch.Tensor, grad: torch.Tensor) -> torch.Tensor:
    return scores + (weight * grad).abs()


@pitfall(replaces="update_movement_scores", why="updates the scores in place (scores -= W * grad)")
def in_place(scores: torch.Tensor, weight: torch.Tensor, grad: torch.Tensor) -> torch.Tensor:
    scores -= weight * grad
    return scores


@pitfall(replaces="movement_mask", why="ranks |score| like magnitude pruning: a strongly negative score is kept")
def abs_movement(scores: torch.Tensor, amount: float) -> torch.Tensor:
    return magnitude_mask(scores, amount)
