"""Plausible wrong continual-learning measurements that the tests must reject."""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import torch
import torch.nn.functional as F
from torch import nn

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from forgetting import eval_loss, train_on_task


@pitfall(replaces="train_on_task", why="never zeroes the gradients: each step applies the sum of all earlier gradients")
def no_zero_grad(model: nn.Module, windows: torch.Tensor, steps: int, batch_size: int, lr: float,
                 generator: torch.Generator) -> list[float]:
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.0)
    losses = []
    for _ in range(steps):
        batch = windows[torch.randint(len(windows), (batch_size,), generator=generator)]
        loss = F.cross_entropy(model(batch[:, :-1]).transpose(1, 2), batch[:, 1:])
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses


@pitfall(replaces="train_on_task", why="draws batches from the global RNG instead of the generator")
def global_rng(model: nn.Module, windows: torch.Tensor, steps: int, batch_size: int, lr: float,
               generator: torch.Generator) -> list[float]:
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.0)
    losses = []
    for _ in range(steps):
        batch = windows[torch.randint(len(windows), (batch_size,))]
        loss = F.cross_entropy(model(batch[:, :-1]).transpose(1, 2), batch[:, 1:])
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses


@pitfall(replaces="loss_matrix", why="a fresh generator per task: every task sees the same batch positions")
def generator_per_task(model: nn.Module, train_tasks: Sequence[torch.Tensor], val_tasks: Sequence[torch.Tensor],
                       steps: int, batch_size: int = 16, lr: float = 1e-2, seed: int = 0) -> torch.Tensor:
    if len(train_tasks) == 0 or len(train_tasks) != len(val_tasks):
        raise ValueError("bad tasks")
    rows = [[eval_loss(model, v) for v in val_tasks]]
    for task in train_tasks:
        train_on_task(model, task, steps, batch_size, lr, torch.Generator().manual_seed(seed))
        rows.append([eval_loss(model, v) for v in val_tasks])
    return torch.tensor(rows, dtype=torch.float64)


@pitfall(replaces="loss_matrix", why="only evaluates the task just trained: earlier tasks are never re-measured (NaN)")
def only_current_task(model: nn.Module, train_tasks: Sequence[torch.Tensor], val_tasks: Sequence[torch.Tensor],
                      steps: int, batch_size: int = 16, lr: float = 1e-2, seed: int = 0) -> torch.Tensor:
    if len(train_tasks) == 0 or len(train_tasks) != len(val_tasks):
        raise ValueError("bad tasks")
    g = torch.Generator().manual_seed(seed)
    n = len(train_tasks)
    R = torch.full((n + 1, n), float("nan"), dtype=torch.float64)
    R[0] = torch.tensor([eval_loss(model, v) for v in val_tasks], dtype=torch.float64)
    for i, task in enumerate(train_tasks):
        train_on_task(model, task, steps, batch_size, lr, g)
        R[i + 1, i] = eval_loss(model, val_tasks[i])
    return R


@pitfall(replaces="forgetting", why="measures from the loss right after learning the task, not from its best loss")
def from_own_row(R: torch.Tensor) -> torch.Tensor:
    A = R[1:].double()
    n = A.shape[1]
    return torch.tensor([float(A[n - 1, j] - A[j, j]) for j in range(n - 1)], dtype=torch.float64)


@pitfall(replaces="forgetting", why="the minimum includes the untrained row 0: a task's 'best' can be before it was learned")
def includes_untrained_row(R: torch.Tensor) -> torch.Tensor:
    R = R.double()
    n = R.shape[1]
    return torch.tensor([float(R[n, j] - R[: n, j].min()) for j in range(n - 1)], dtype=torch.float64)


@pitfall(replaces="backward_transfer", why="sign flipped: forgetting comes out positive")
def bwt_sign(R: torch.Tensor) -> float:
    A = R[1:].double()
    n = A.shape[1]
    if n < 2:
        raise ValueError("need two tasks")
    return float(torch.mean(torch.stack([A[n - 1, j] - A[j, j] for j in range(n - 1)])))


@pitfall(replaces="backward_transfer", why="averages over all n tasks, counting the last task's zero")
def bwt_over_all_tasks(R: torch.Tensor) -> float:
    A = R[1:].double()
    n = A.shape[1]
    if n < 2:
        raise ValueError("need two tasks")
    return float(torch.mean(torch.stack([A[j, j] - A[n - 1, j] for j in range(n)])))
