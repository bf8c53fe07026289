"""Plausible wrong dueling heads that the tests must reject."""
from __future__ import annotations

import torch
from torch import nn

from grader.pitfalls import pitfall


def _check(value: torch.Tensor, advantage: torch.Tensor) -> None:
    if advantage.dim() != 2 or value.shape != (advantage.shape[0], 1):
        raise ValueError("shapes")


@pitfall(replaces="dueling_combine", why="Q = V + A without subtracting the mean: V and A are not identifiable")
def no_centering(value: torch.Tensor, advantage: torch.Tensor) -> torch.Tensor:
    _check(value, advantage)
    return value + advantage


@pitfall(replaces="dueling_combine", why="subtracts the max advantage instead of the mean")
def max_centering(value: torch.Tensor, advantage: torch.Tensor) -> torch.Tensor:
    _check(value, advantage)
    return value + advantage - advantage.max(dim=1, keepdim=True).values


@pitfall(replaces="dueling_combine", why="averages the advantage over the batch axis instead of the action axis")
def batch_mean(value: torch.Tensor, advantage: torch.Tensor) -> torch.Tensor:
    _check(value, advantage)
    return value + advantage - advantage.mean(dim=0, keepdim=True)


@pitfall(replaces="dueling_combine", why="detaches the mean: the gradient no longer sums to zero over actions")
def detached_mean(value: torch.Tensor, advantage: torch.Tensor) -> torch.Tensor:
    _check(value, advantage)
    return value + advantage - advantage.mean(dim=1, keepdim=True).detach()


@pitfall(replaces="dueling_combine", why="forgets the value stream: Q = A - mean(A)")
def no_value(value: torch.Tensor, advantage: torch.Tensor) -> torch.Tensor:
    _check(value, advantage)
    return advantage - advantage.mean(dim=1, keepdim=True)


@pitfall(replaces="DuelingHead", why="the value stream outputs one number per action (n_actions outputs), averaged")
class PerActionValue(nn.Module):
    def __init__(self, in_features: int, n_actions: int) -> None:
        super().__init__()
        self.value = nn.Linear(in_features, n_actions)
        self.advantage = nn.Linear(in_features, n_actions)

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        a = self.advantage(features)
        return self.value(features).mean(dim=1, keepdim=True) + a - a.mean(dim=1, keepdim=True)
