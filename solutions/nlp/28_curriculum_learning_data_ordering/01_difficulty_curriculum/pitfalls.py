"""Plausible wrong curriculum code that the tests must reject."""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

import torch
import torch.nn.functional as F
from torch import nn

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from curriculum import competence


@pitfall(replaces="window_difficulty", why="scores each position against its own input id, not the next one")
def unshifted_targets(model: nn.Module, windows: torch.Tensor) -> torch.Tensor:
    with torch.no_grad():
        logits = model(windows[:, :-1])
        loss = F.cross_entropy(logits.double().transpose(1, 2), windows[:, :-1], reduction="none")
    return loss.mean(dim=1)


@pitfall(replaces="window_difficulty", why="sums the loss over positions instead of averaging it")
def summed_loss(model: nn.Module, windows: torch.Tensor) -> torch.Tensor:
    with torch.no_grad():
        logits = model(windows[:, :-1])
        loss = F.cross_entropy(logits.double().transpose(1, 2), windows[:, 1:], reduction="none")
    return loss.sum(dim=1)


@pitfall(replaces="window_difficulty", why="one batch-mean loss (F.cross_entropy's default reduction) copied to every row")
def batch_mean_for_every_row(model: nn.Module, windows: torch.Tensor) -> torch.Tensor:
    with torch.no_grad():
        logits = model(windows[:, :-1])
        loss = F.cross_entropy(logits.double().transpose(1, 2), windows[:, 1:])
    return loss.expand(len(windows)).clone()


@pitfall(replaces="easy_to_hard", why="sorts hard to easy (descending)")
def hard_to_easy(scores: torch.Tensor) -> torch.Tensor:
    return torch.sort(scores, descending=True, stable=True).indices


@pitfall(replaces="easy_to_hard", why="reverses a stable descending sort: ascending, but ties come out highest index first")
def reversed_descending(scores: torch.Tensor) -> torch.Tensor:
    return torch.sort(scores, descending=True, stable=True).indices.flip(0)


@pitfall(replaces="competence", why="takes the square root of the linear schedule instead of raising c0 to the power first")
def sqrt_of_linear(step: int, total_steps: int, c0: float, power: float = 2.0) -> float:
    if total_steps < 1 or step < 0 or not 0.0 < c0 <= 1.0 or power <= 0:
        raise ValueError("bad arguments")
    return min(1.0, (step * (1 - c0) / total_steps + c0) ** (1 / power))


@pitfall(replaces="competence", why="never clips at 1: past total_steps the competence keeps growing")
def unclipped(step: int, total_steps: int, c0: float, power: float = 2.0) -> float:
    if total_steps < 1 or step < 0 or not 0.0 < c0 <= 1.0 or power <= 0:
        raise ValueError("bad arguments")
    return (step * (1 - c0 ** power) / total_steps + c0 ** power) ** (1 / power)


@pitfall(replaces="curriculum_batch", why="floor instead of ceil: at the start fewer examples than c0 * N are available")
def floor_prefix(order: torch.Tensor, step: int, total_steps: int, batch_size: int, c0: float,
                 generator: torch.Generator, power: float = 2.0) -> torch.Tensor:
    n = max(1, math.floor(competence(step, total_steps, c0, power) * len(order)))
    return order[torch.randint(n, (batch_size,), generator=generator)]


@pitfall(replaces="curriculum_batch", why="returns positions in the sorted list instead of the example indices they hold")
def positions_not_indices(order: torch.Tensor, step: int, total_steps: int, batch_size: int, c0: float,
                          generator: torch.Generator, power: float = 2.0) -> torch.Tensor:
    n = math.ceil(competence(step, total_steps, c0, power) * len(order))
    return torch.randint(n, (batch_size,), generator=generator)


@pitfall(replaces="curriculum_batch", why="samples from the whole data set: no curriculum at all")
def no_pacing(order: torch.Tensor, step: int, total_steps: int, batch_size: int, c0: float,
              generator: torch.Generator, power: float = 2.0) -> torch.Tensor:
    return order[torch.randint(len(order), (batch_size,), generator=generator)]
