"""Reference solution for nlp-32-1."""
from __future__ import annotations

from collections.abc import Mapping

import torch
import torch.nn.functional as F
from torch import nn


class Encoder(nn.Module):
    """Given: a small shared text encoder: character embeddings, a 1-D convolution, ReLU, mean over positions.

    forward(idx (B, T) int64) -> features (B, d_model).
    """

    def __init__(self, vocab_size: int = 65, d_model: int = 32, kernel: int = 3) -> None:
        super().__init__()
        self.d_model = d_model
        self.embed = nn.Embedding(vocab_size, d_model)
        self.conv = nn.Conv1d(d_model, d_model, kernel, padding=kernel // 2)

    def forward(self, idx: torch.Tensor) -> torch.Tensor:
        h = torch.relu(self.conv(self.embed(idx).transpose(1, 2)))
        return h.mean(dim=2)


class MultiTaskModel(nn.Module):
    """One shared Encoder and one linear head per task.

    `heads` is an nn.ModuleDict mapping each task name to nn.Linear(encoder.d_model, n_classes[task]);
    forward(idx, task) runs the shared encoder once and the head of `task` only. Every task uses the
    very same encoder module (its parameters are counted once).

    Shapes:
        idx: (B, T) int64 -> logits (B, n_classes[task])

    Raises:
        KeyError: in forward, for a task without a head.
    """

    def __init__(self, encoder: Encoder, n_classes: Mapping[str, int]) -> None:
        super().__init__()
        self.encoder = encoder
        self.heads = nn.ModuleDict({task: nn.Linear(encoder.d_model, n) for task, n in n_classes.items()})

    def forward(self, idx: torch.Tensor, task: str) -> torch.Tensor:
        if task not in self.heads:
            raise KeyError(f"no head for task {task!r}")
        return self.heads[task](self.encoder(idx))


def multitask_loss(model: MultiTaskModel, batches: Mapping[str, tuple[torch.Tensor, torch.Tensor]],
                   weights: Mapping[str, float] | None = None) -> tuple[torch.Tensor, dict[str, float]]:
    """The weighted sum of each task's mean cross-entropy on its own batch.

    total = sum over tasks in `batches` of weights[task] * F.cross_entropy(model(x, task), y);
    weights=None means weight 1 for every task. Also returns each task's unweighted loss as a float.

    Returns:
        (total as a differentiable scalar tensor, {task: loss})
    """
    total = torch.zeros(())
    parts = {}
    for task, (x, y) in batches.items():
        loss = F.cross_entropy(model(x, task), y)
        w = 1.0 if weights is None else weights[task]
        total = total + w * loss
        parts[task] = loss.item()
    return total, parts
