"""rl-02-4: the dueling network head. Edit this file; `grader check rl-02-4` tests it."""
from __future__ import annotations

import torch
from torch import nn


def dueling_combine(value: torch.Tensor, advantage: torch.Tensor) -> torch.Tensor:
    """Q(s, a) = V(s) + A(s, a) - mean_a' A(s, a').

    Differentiable in both inputs (the mean is part of the graph). Inputs are not modified; the
    result has their dtype.

    Raises:
        ValueError: advantage is not 2-D, or value's shape is not (B, 1).

    Shapes:
        value: (B, 1); advantage: (B, n_actions)
        returns: (B, n_actions)
    """
    raise NotImplementedError("dueling_combine: V plus the mean-centred advantage")


class DuelingHead(nn.Module):
    """A dueling Q-head on top of a feature vector: two linear streams, combined by dueling_combine.

    Attributes `value = nn.Linear(in_features, 1)` and `advantage = nn.Linear(in_features, n_actions)`,
    and nothing else with parameters.

    Shapes:
        forward: features (B, in_features) -> Q (B, n_actions)
    """

    def __init__(self, in_features: int, n_actions: int) -> None:
        super().__init__()
        raise NotImplementedError("DuelingHead.__init__: build the value and advantage streams")

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("DuelingHead.forward: combine the two streams")
