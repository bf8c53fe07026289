"""prod-05-4: federated averaging. Edit this file; `grader check prod-05-4` tests it."""
from __future__ import annotations

from collections.abc import Callable, Sequence

import torch
from torch import nn


def client_update(model: nn.Module, x: torch.Tensor, y: torch.Tensor,
                  loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor], lr: float, local_steps: int,
                  batch_size: int | None = None, generator: torch.Generator | None = None) -> dict[str, torch.Tensor]:
    """Local training on one client: `local_steps` steps of plain SGD (torch.optim.SGD(lr)) on
    loss_fn(model(xb), yb), starting from `model`'s weights, which are left unchanged.

    batch_size=None: every step uses the whole local data (full-batch gradient descent). Otherwise
    each step uses the examples torch.randperm(n, generator=generator)[:batch_size].

    Shapes:
        x: (n, ...); y: (n, ...); returns: the trained model's state dict (new tensors)

    Raises:
        ValueError: if local_steps < 1, lr <= 0, or batch_size is given and is < 1 or has no generator.
    """
    raise NotImplementedError("client_update: copy the model, train it locally, return its state")


def average_states(states: Sequence[dict[str, torch.Tensor]], weights: Sequence[float]) -> dict[str, torch.Tensor]:
    """The weighted average sum_k (w_k / sum(w)) * states[k][name] of every entry, in its dtype.

    Raises:
        ValueError: if there are no states, the numbers of states and weights differ, a weight is
            negative or they sum to 0, or the states do not have the same keys.
    """
    raise NotImplementedError("average_states: normalised weights times each state")


def fedavg_round(model: nn.Module, clients: Sequence[tuple[torch.Tensor, torch.Tensor]],
                 loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor], lr: float, local_steps: int,
                 batch_size: int | None = None, generator: torch.Generator | None = None) -> dict[str, torch.Tensor]:
    """One round of FedAvg: every client trains from the current global `model` (client_update), and
    the server averages their states weighted by their numbers of examples. `model` is not changed.

    Returns:
        the new global state dict

    Raises:
        ValueError: as client_update and average_states.
    """
    raise NotImplementedError("fedavg_round: local updates, then the size-weighted average")
