"""Reference solution for rl-02-4."""
from __future__ import annotations

import torch
from torch import nn


def dueling_combine(value: torch.Tensor, advantage: torch.Tensor) -> torch.Tensor:
    if advantage.dim() != 2 or value.shape != (advantage.shape[0], 1):
        raise ValueError(f"expected value (B, 1) and advantage (B, n_actions), got {tuple(value.shape)} and "
                         f"{tuple(advantage.shape)}")
    return value + advantage - advantage.mean(dim=1, keepdim=True)


class DuelingHead(nn.Module):
    def __init__(self, in_features: int, n_actions: int) -> None:
        super().__init__()
        self.value = nn.Linear(in_features, 1)
        self.advantage = nn.Linear(in_features, n_actions)

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        return dueling_combine(self.value(features), self.advantage(features))
