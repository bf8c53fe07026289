"""Reference solution for prod-05-4."""
from __future__ import annotations

import copy
from collections.abc import Callable, Sequence

import torch
from torch import nn


def client_update(model: nn.Module, x: torch.Tensor, y: torch.Tensor,
                  loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor], lr: float, local_steps: int,
                  batch_size: int | None = None, generator: torch.Generator | None = None) -> dict[str, torch.Tensor]:
    if local_steps < 1 or lr <= 0:
        raise ValueError(f"need local_steps >= 1 and lr > 0, got {local_steps}, {lr}")
    if batch_size is not None and (batch_size < 1 or generator is None):
        raise ValueError("minibatches need batch_size >= 1 and a generator")
    local = copy.deepcopy(model)
    opt = torch.optim.SGD(local.parameters(), lr=lr)
    for _ in range(local_steps):
        if batch_size is None:
            xb, yb = x, y
        else:
            idx = torch.randperm(x.shape[0], generator=generator)[:batch_size]
            xb, yb = x[idx], y[idx]
        opt.zero_grad()
        loss_fn(local(xb), yb).backward()
        opt.step()
    return {k: v.detach().clone() for k, v in local.state_dict().items()}


def average_states(states: Sequence[dict[str, torch.Tensor]], weights: Sequence[float]) -> dict[str, torch.Tensor]:
    if len(states) == 0 or len(states) != len(weights):
        raise ValueError("need one weight per state, and at least one state")
    w = torch.as_tensor(weights, dtype=torch.float64)
    if torch.any(w < 0) or w.sum() <= 0:
        raise ValueError("weights must be non-negative with a positive sum")
    keys = set(states[0])
    if any(set(s) != keys for s in states):
        raise ValueError("every state must have the same keys")
    w = w / w.sum()
    return {k: sum(wi * s[k].double() for wi, s in zip(w, states, strict=True)).to(states[0][k].dtype)
            for k in states[0]}


def fedavg_round(model: nn.Module, clients: Sequence[tuple[torch.Tensor, torch.Tensor]],
                 loss_fn: Callable[[torch.Tensor, torch.Tensor], torch.Tensor], lr: float, local_steps: int,
                 batch_size: int | None = None, generator: torch.Generator | None = None) -> dict[str, torch.Tensor]:
    states = [client_update(model, x, y, loss_fn, lr, local_steps, batch_size, generator) for x, y in clients]
    return average_states(states, [x.shape[0] for x, _ in clients])
