"""Reference solution for nlp-28-1."""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn


def window_difficulty(model: nn.Module, windows: torch.Tensor) -> torch.Tensor:
    """Difficulty of each training window: the scorer model's mean next-character loss on it.

    `windows` holds T + 1 ids per row: the model reads ids[:, :-1] and is scored on predicting
    ids[:, 1:]. The score of a row is the mean cross-entropy (nats) over its T positions. No
    gradients are taken and the model's weights are left untouched.

    Shapes:
        windows: (N, T + 1) int64, T >= 1
        returns: (N,) float64
    """
    with torch.no_grad():
        logits = model(windows[:, :-1])
        loss = F.cross_entropy(logits.double().transpose(1, 2), windows[:, 1:], reduction="none")
    return loss.mean(dim=1)


def easy_to_hard(scores: torch.Tensor) -> torch.Tensor:
    """The curriculum order: example indices sorted by ascending difficulty.

    Ties keep their original order (the lower index comes first), so the order is deterministic.

    Shapes:
        scores: (N,) float
        returns: (N,) int64, a permutation of range(N)
    """
    return torch.sort(scores, stable=True).indices


def competence(step: int, total_steps: int, c0: float, power: float = 2.0) -> float:
    """Platanios et al.'s competence: the fraction of the sorted data available at `step`.

        c(t) = min(1, (t * (1 - c0**p) / T + c0**p) ** (1 / p))

    with T = total_steps and p = power (p = 1: linear pacing; p = 2: square-root pacing, which
    adds hard examples quickly at first and slowly later). c(0) = c0 and c(t) = 1 for t >= T.

    Raises:
        ValueError: if total_steps < 1, step < 0, c0 is not in (0, 1], or power <= 0.
    """
    if total_steps < 1 or step < 0 or not 0.0 < c0 <= 1.0 or power <= 0:
        raise ValueError(f"bad arguments: {step=}, {total_steps=}, {c0=}, {power=}")
    return min(1.0, (step * (1 - c0 ** power) / total_steps + c0 ** power) ** (1 / power))


def curriculum_batch(order: torch.Tensor, step: int, total_steps: int, batch_size: int, c0: float,
                     generator: torch.Generator, power: float = 2.0) -> torch.Tensor:
    """Example indices for the batch of `step`: uniform draws from the easiest examples available.

    With N = len(order) and c = competence(step, total_steps, c0, power), the first
    n = ceil(c * N) entries of `order` are available; draw positions with
    `torch.randint(n, (batch_size,), generator=generator)` (with replacement) and return
    order[positions].

    Shapes:
        order: (N,) int64, the curriculum order from easy_to_hard
        returns: (batch_size,) int64
    """
    c = competence(step, total_steps, c0, power)
    n = math.ceil(c * len(order))
    positions = torch.randint(n, (batch_size,), generator=generator)
    return order[positions]
