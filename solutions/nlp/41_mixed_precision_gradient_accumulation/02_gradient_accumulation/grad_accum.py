"""Reference solution for nlp-41-2."""
from __future__ import annotations

from collections.abc import Callable

import torch
from torch import nn


def accumulation_step(model: nn.Module, optimizer: torch.optim.Optimizer,
                      loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor],
                      inputs: torch.Tensor, targets: torch.Tensor, micro_batch_size: int) -> float:
    if micro_batch_size < 1:
        raise ValueError(f"micro_batch_size must be at least 1, got {micro_batch_size}")
    n = inputs.shape[0]
    optimizer.zero_grad()
    total = 0.0
    for start in range(0, n, micro_batch_size):
        x = inputs[start:start + micro_batch_size]
        y = targets[start:start + micro_batch_size]
        loss = loss_fn(model(x), y) * (x.shape[0] / n)
        loss.backward()
        total += loss.item()
    optimizer.step()
    return total
