"""nlp-32-1: a shared encoder with task-specific heads. Edit this file; `grader check nlp-32-1` tests it."""
from __future__ import annotations

from collections.abc import Mapping

import torch
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
        raise NotImplementedError("MultiTaskModel.__init__: keep the shared encoder, one nn.Linear head per task in an nn.ModuleDict")

    def forward(self, idx: torch.Tensor, task: str) -> torch.Tensor:
        raise NotImplementedError("MultiTaskModel.forward: encoder once, then the task's head")


def multitask_loss(model: MultiTaskModel, batches: Mapping[str, tuple[torch.Tensor, torch.Tensor]],
                   weights: Mapping[str, float] | None = None) -> tuple[torch.Tensor, dict[str, float]]:
    """The weighted sum of each task's mean cross-entropy on its own batch.

    total = sum over tasks in `batches` of weights[task] * F.cross_entropy(model(x, task), y);
    weights=None means weight 1 for every task. Also returns each task's unweighted loss as a float.

    Returns:
        (total as a differentiable scalar tensor, {task: loss})
    """
    raise NotImplementedError("multitask_loss: weighted sum of per-task cross-entropies, plus the raw losses")
