"""Plausible wrong federated-averaging implementations that the tests must reject."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import torch
from torch import nn

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from fedavg import average_states, client_update


@pitfall(replaces="fedavg_round", why="averages the clients' states with equal weights instead of by their numbers of examples")
def unweighted(model: nn.Module, clients: Sequence[tuple[torch.Tensor, torch.Tensor]], loss_fn: Callable, lr: float,
               local_steps: int, batch_size: int | None = None,
               generator: torch.Generator | None = None) -> dict[str, torch.Tensor]:
    states = [client_update(model, x, y, loss_fn, lr, local_steps, batch_size, generator) for x, y in clients]
    return average_states(states, [1.0] * len(states))


@pitfall(replaces="client_update", why="trains the global model itself, so each client starts where the previous one stopped")
def shared_model(model: nn.Module, x: torch.Tensor, y: torch.Tensor, loss_fn: Callable, lr: float, local_steps: int,
                 batch_size: int | None = None, generator: torch.Generator | None = None) -> dict[str, torch.Tensor]:
    if local_steps < 1 or lr <= 0 or (batch_size is not None and (batch_size < 1 or generator is None)):
        raise ValueError("bad arguments")
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    for _ in range(local_steps):
        idx = slice(None) if batch_size is None else torch.randperm(x.shape[0], generator=generator)[:batch_size]
        opt.zero_grad()
        loss_fn(model(x[idx]), y[idx]).backward()
        opt.step()
    return {k: v.detach().clone() for k, v in model.state_dict().items()}


@pitfall(replaces="average_states", why="accumulates in float64 and returns that: float32 weights come back as float64")
def float64_result(states: Sequence[dict[str, torch.Tensor]], weights: Sequence[float]) -> dict[str, torch.Tensor]:
    if len(states) == 0 or len(states) != len(weights) or min(weights) < 0 or sum(weights) <= 0:
        raise ValueError("bad weights")
    if any(set(s) != set(states[0]) for s in states):
        raise ValueError("keys")
    total = sum(weights)
    return {k: sum(w / total * s[k].double() for w, s in zip(weights, states, strict=True)) for k in states[0]}


@pitfall(replaces="client_update", why="minibatches drawn from the global torch RNG: the generator is ignored")
def global_rng(model: nn.Module, x: torch.Tensor, y: torch.Tensor, loss_fn: Callable, lr: float, local_steps: int,
               batch_size: int | None = None, generator: torch.Generator | None = None) -> dict[str, torch.Tensor]:
    import copy

    if local_steps < 1 or lr <= 0 or (batch_size is not None and (batch_size < 1 or generator is None)):
        raise ValueError("bad arguments")
    local = copy.deepcopy(model)
    opt = torch.optim.SGD(local.parameters(), lr=lr)
    for _ in range(local_steps):
        idx = slice(None) if batch_size is None else torch.randperm(x.shape[0])[:batch_size]
        opt.zero_grad()
        loss_fn(local(x[idx]), y[idx]).backward()
        opt.step()
    return {k: v.detach().clone() for k, v in local.state_dict().items()}


@pitfall(replaces="average_states", why="divides by the number of states instead of the sum of the weights")
def unnormalised(states: Sequence[dict[str, torch.Tensor]], weights: Sequence[float]) -> dict[str, torch.Tensor]:
    if len(states) == 0 or len(states) != len(weights) or min(weights) < 0 or sum(weights) <= 0:
        raise ValueError("bad weights")
    if any(set(s) != set(states[0]) for s in states):
        raise ValueError("keys")
    return {k: (sum(w * s[k].double() for w, s in zip(weights, states, strict=True)) / len(states)).to(states[0][k].dtype)
            for k in states[0]}
