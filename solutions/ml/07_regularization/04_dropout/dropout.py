"""Reference solution for ml-07-4."""
from __future__ import annotations

import torch
from torch import nn


def dropout_mask(shape: tuple[int, ...], p: float, generator: torch.Generator | None = None) -> torch.Tensor:
    return torch.rand(shape, generator=generator) >= p


def apply_dropout(x: torch.Tensor, keep: torch.Tensor, p: float) -> torch.Tensor:
    if p >= 1.0:
        return torch.zeros_like(x)
    return x * keep.to(x.dtype) / (1.0 - p)


def dropout(x: torch.Tensor, p: float, training: bool, generator: torch.Generator | None = None) -> torch.Tensor:
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout probability must be in [0, 1], got {p}")
    if not training or p == 0.0:
        return x
    return apply_dropout(x, dropout_mask(tuple(x.shape), p, generator), p)


class Dropout(nn.Module):
    """Inverted dropout as a module: active in train() mode, the identity in eval() mode."""

    def __init__(self, p: float = 0.5, generator: torch.Generator | None = None) -> None:
        super().__init__()
        if not 0.0 <= p <= 1.0:
            raise ValueError(f"dropout probability must be in [0, 1], got {p}")
        self.p = p
        self.generator = generator

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return dropout(x, self.p, self.training, self.generator)


class TinyNet(nn.Module):
    """Linear -> ReLU -> Dropout -> Linear (given: it uses your Dropout)."""

    def __init__(self, d_in: int, d_hidden: int, d_out: int, p: float,
                 generator: torch.Generator | None = None) -> None:
        super().__init__()
        self.fc1 = nn.Linear(d_in, d_hidden)
        self.drop = Dropout(p, generator)
        self.fc2 = nn.Linear(d_hidden, d_out)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.fc2(self.drop(torch.relu(self.fc1(x))))
