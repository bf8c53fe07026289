"""dl-04-5: a LeNet-style CNN on 8×8 digits. Edit this file; `grader check dl-04-5` tests it."""
from __future__ import annotations

import torch


class LeNet(torch.nn.Module):
    """conv1 = Conv2d(1, c1, 3, padding=1), conv2 = Conv2d(c1, c2, 3), fc1 = Linear(c2, hidden),
    fc2 = Linear(hidden, 10), with torch's default initialisation (create them in this order, after
    any torch.manual_seed the caller set). Forward, for x of shape (N, 1, 8, 8):

        relu(conv1) → max_pool 2 → relu(conv2) → max_pool 2 → flatten → relu(fc1) → fc2 → logits (N, 10)

    Spatial sizes: 8 → 8 → 4 → 2 → 1, so the flattened features have c2 entries.
    """

    def __init__(self, c1: int = 8, c2: int = 16, hidden: int = 32) -> None:
        super().__init__()
        raise NotImplementedError("LeNet.__init__: conv1, conv2, fc1, fc2 with these names")

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("LeNet.forward: the pipeline above")


def train(model: LeNet, X: torch.Tensor, y: torch.Tensor, epochs: int, batch_size: int, lr: float,
          seed: int) -> list[float]:
    """Train model in place with torch.optim.Adam(model.parameters(), lr=lr) on the mean cross-entropy.

    g = torch.Generator().manual_seed(seed) is created once; every epoch visits
    torch.randperm(n, generator=g) in consecutive batches of batch_size (the last one may be shorter).
    Each step: clear the gradients, compute the batch loss, backpropagate, step. Returns every step's
    loss (before its update), as floats.

    Shapes:
        X: (n, 1, 8, 8) float32; y: (n,) int64
    """
    raise NotImplementedError("train: Adam, per-epoch randperm from g, zero_grad / loss / backward / step")


def accuracy(model: LeNet, X: torch.Tensor, y: torch.Tensor) -> float:
    """Fraction of rows whose largest logit is the label, computed without building a graph."""
    raise NotImplementedError("accuracy: argmax of the logits under torch.no_grad()")
