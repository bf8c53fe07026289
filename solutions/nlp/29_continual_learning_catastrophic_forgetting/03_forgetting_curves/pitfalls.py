"""Plausible wrong forgetting-curve code that the tests must reject."""
from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F
from matplotlib.figure import Figure
from torch import nn

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from forgetting_curves import eval_loss


@pitfall(replaces="forgetting_curves", why="one AdamW for the whole sequence: Adam moments from the old task push the new task's first steps")
def one_optimizer_for_all(model: nn.Module, train_tasks: Sequence[torch.Tensor], val_tasks: Sequence[torch.Tensor],
                          steps_per_task: int, eval_every: int, batch_size: int = 16, lr: float = 1e-2,
                          seed: int = 0) -> torch.Tensor:
    if len(train_tasks) == 0 or len(train_tasks) != len(val_tasks):
        raise ValueError("bad tasks")
    if eval_every < 1 or steps_per_task % eval_every:
        raise ValueError("bad eval_every")
    g = torch.Generator().manual_seed(seed)
    rows = [[eval_loss(model, v) for v in val_tasks]]
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.0)   # Adam moments carried across tasks
    for windows in train_tasks:
        for step in range(1, steps_per_task + 1):
            batch = windows[torch.randint(len(windows), (batch_size,), generator=g)]
            loss = F.cross_entropy(model(batch[:, :-1]).transpose(1, 2), batch[:, 1:])
            opt.zero_grad()
            loss.backward()
            opt.step()
            if step % eval_every == 0:
                rows.append([eval_loss(model, v) for v in val_tasks])
    return torch.tensor(rows, dtype=torch.float64)


@pitfall(replaces="forgetting_curves", why="only evaluates the task being trained: the forgetting of earlier tasks is never seen")
def current_task_only(model: nn.Module, train_tasks: Sequence[torch.Tensor], val_tasks: Sequence[torch.Tensor],
                      steps_per_task: int, eval_every: int, batch_size: int = 16, lr: float = 1e-2,
                      seed: int = 0) -> torch.Tensor:
    if len(train_tasks) == 0 or len(train_tasks) != len(val_tasks):
        raise ValueError("bad tasks")
    if eval_every < 1 or steps_per_task % eval_every:
        raise ValueError("bad eval_every")
    g = torch.Generator().manual_seed(seed)
    n = len(val_tasks)
    rows = [[eval_loss(model, v) for v in val_tasks]]
    for i, windows in enumerate(train_tasks):
        opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.0)
        for step in range(1, steps_per_task + 1):
            batch = windows[torch.randint(len(windows), (batch_size,), generator=g)]
            loss = F.cross_entropy(model(batch[:, :-1]).transpose(1, 2), batch[:, 1:])
            opt.zero_grad()
            loss.backward()
            opt.step()
            if step % eval_every == 0:
                rows.append([eval_loss(model, val_tasks[i]) if j == i else math.nan for j in range(n)])
    return torch.tensor(rows, dtype=torch.float64)


@pitfall(replaces="forgetting_after_shifts", why="boundary rows off by one: takes the row before each shift, one evaluation early")
def boundary_off_by_one(curves: torch.Tensor, steps_per_task: int, eval_every: int) -> torch.Tensor:
    n = curves.shape[1]
    per = steps_per_task // eval_every
    ends = curves[[(k + 1) * per - 1 for k in range(n)]].double()
    out = torch.full((n, n), math.nan, dtype=torch.float64)
    for k in range(n):
        for j in range(k):
            out[k, j] = ends[k, j] - ends[j, j]
    return out


@pitfall(replaces="forgetting_after_shifts", why="measures from the untrained row 0 instead of the end of the task's own phase")
def from_start(curves: torch.Tensor, steps_per_task: int, eval_every: int) -> torch.Tensor:
    n = curves.shape[1]
    per = steps_per_task // eval_every
    out = torch.full((n, n), math.nan, dtype=torch.float64)
    for k in range(n):
        for j in range(k):
            out[k, j] = float(curves[(k + 1) * per, j] - curves[0, j])
    return out


@pitfall(replaces="plot_forgetting_curves", why="marks the shifts at evaluation indices instead of training steps")
def shifts_at_rows(curves: torch.Tensor, steps_per_task: int, eval_every: int, names: Sequence[str]) -> Figure:
    fig, ax = plt.subplots()
    steps = [i * eval_every for i in range(curves.shape[0])]
    for j, name in enumerate(names):
        ax.plot(steps, curves[:, j].tolist(), label=name)
    for k in range(1, curves.shape[1]):
        ax.axvline(k * steps_per_task // eval_every)
    ax.set_xlabel("training step")
    ax.set_ylabel("validation loss")
    ax.legend()
    return fig


@pitfall(replaces="plot_forgetting_curves", why="x starts at eval_every: the untrained row is drawn as if after the first evaluation")
def x_from_one(curves: torch.Tensor, steps_per_task: int, eval_every: int, names: Sequence[str]) -> Figure:
    fig, ax = plt.subplots()
    steps = [(i + 1) * eval_every for i in range(curves.shape[0])]
    for j, name in enumerate(names):
        ax.plot(steps, curves[:, j].tolist(), label=name)
    for k in range(1, curves.shape[1]):
        ax.axvline(k * steps_per_task)
    ax.set_xlabel("training step")
    ax.set_ylabel("validation loss")
    ax.legend()
    return fig
