"""ml-07-4: inverted dropout from scratch. Edit this file; `grader check ml-07-4` tests it."""
from __future__ import annotations

import torch
from torch import nn


def dropout_mask(shape: tuple[int, ...], p: float, generator: torch.Generator | None = None) -> torch.Tensor:
    """The keep-mask: True where a unit survives, each independently with probability 1 - p.

    Draw it exactly as `torch.rand(shape, generator=generator) >= p` (float32 uniforms), so the
    same generator state gives the same mask.

    Shapes:
        returns: `shape`, torch.bool
    """
    raise NotImplementedError("dropout_mask: one uniform per unit, keep where it is >= p")


def apply_dropout(x: torch.Tensor, keep: torch.Tensor, p: float) -> torch.Tensor:
    """Inverted dropout with a given mask: zero the dropped units and scale the kept ones by
    1 / (1 - p), so that the expectation over masks is x. For p = 1 everything is dropped:
    return zeros (never NaN).

    Shapes:
        x: any shape, float;  keep: the same shape, bool
        returns: the shape and dtype of x
    """
    raise NotImplementedError("apply_dropout: mask, then rescale the survivors")


def dropout(x: torch.Tensor, p: float, training: bool, generator: torch.Generator | None = None) -> torch.Tensor:
    """Inverted dropout: in training, apply_dropout(x, dropout_mask(x.shape, p, generator), p);
    at evaluation (training=False), and for p = 0, x itself (no scaling: that is the point of
    inverted dropout).

    Shapes:
        x: any shape, float
        returns: the shape and dtype of x

    Raises:
        ValueError: unless 0 <= p <= 1.
    """
    raise NotImplementedError("dropout: identity at eval time, masked and rescaled in training")


class Dropout(nn.Module):
    """Inverted dropout as a module: `dropout(x, p, self.training, generator)`, so it is active after
    `.train()` and the identity after `.eval()`.

    Raises:
        ValueError (in __init__): unless 0 <= p <= 1.
    """

    def __init__(self, p: float = 0.5, generator: torch.Generator | None = None) -> None:
        super().__init__()
        raise NotImplementedError("Dropout.__init__: validate and store p and the generator")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("Dropout.forward: call dropout with the module's training flag")


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
