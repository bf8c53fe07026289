"""Plausible wrong multi-task code that the tests must reject."""
from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import TYPE_CHECKING

import torch
import torch.nn.functional as F
from torch import nn

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from multitask import Encoder, MultiTaskModel


@pitfall(replaces="MultiTaskModel.__init__", why="a separate copy of the encoder per task: nothing is shared")
def encoder_per_task(self: MultiTaskModel, encoder: Encoder, n_classes: Mapping[str, int]) -> None:
    nn.Module.__init__(self)
    self.encoder = encoder
    self.encoders = nn.ModuleDict({task: copy.deepcopy(encoder) for task in n_classes})
    self.heads = nn.ModuleDict({task: nn.Linear(encoder.d_model, n) for task, n in n_classes.items()})

    def forward(idx: torch.Tensor, task: str) -> torch.Tensor:
        return self.heads[task](self.encoders[task](idx))

    self.forward = forward


@pitfall(replaces="MultiTaskModel.forward", why="an unknown task falls back to the first head instead of failing")
def unknown_task_first_head(self: MultiTaskModel, idx: torch.Tensor, task: str) -> torch.Tensor:
    head = self.heads[task] if task in self.heads else next(iter(self.heads.values()))
    return head(self.encoder(idx))


@pitfall(replaces="multitask_loss", why="averages the task losses instead of summing them (weights divided by the number of tasks)")
def mean_of_tasks(model: MultiTaskModel, batches: Mapping[str, tuple[torch.Tensor, torch.Tensor]],
                  weights: Mapping[str, float] | None = None) -> tuple[torch.Tensor, dict[str, float]]:
    total = torch.zeros(())
    parts = {}
    for task, (x, y) in batches.items():
        loss = F.cross_entropy(model(x, task), y)
        total = total + (1.0 if weights is None else weights[task]) * loss
        parts[task] = loss.item()
    return total / len(batches), parts


@pitfall(replaces="multitask_loss", why="reports the weighted per-task losses instead of the raw ones")
def weighted_parts(model: MultiTaskModel, batches: Mapping[str, tuple[torch.Tensor, torch.Tensor]],
                   weights: Mapping[str, float] | None = None) -> tuple[torch.Tensor, dict[str, float]]:
    total = torch.zeros(())
    parts = {}
    for task, (x, y) in batches.items():
        w = 1.0 if weights is None else weights[task]
        loss = w * F.cross_entropy(model(x, task), y)
        total = total + loss
        parts[task] = loss.item()
    return total, parts


@pitfall(replaces="multitask_loss", why="detaches each task loss before summing: the total has no gradient")
def detached_sum(model: MultiTaskModel, batches: Mapping[str, tuple[torch.Tensor, torch.Tensor]],
                 weights: Mapping[str, float] | None = None) -> tuple[torch.Tensor, dict[str, float]]:
    total = 0.0
    parts = {}
    for task, (x, y) in batches.items():
        loss = F.cross_entropy(model(x, task), y)
        total += (1.0 if weights is None else weights[task]) * loss.item()
        parts[task] = loss.item()
    return torch.tensor(total, requires_grad=True), parts
