"""Reference solution for nlp-29-3."""
from __future__ import annotations

import math
from collections.abc import Sequence

import matplotlib.pyplot as plt
import torch
import torch.nn.functional as F
from matplotlib.figure import Figure
from torch import nn

from grader import lm

LOWER = "abcdefghijklmnopqrstuvwxyz"


def caesar(text: str, shift: int) -> str:
    """Given: every letter moved `shift` places along the alphabet (case kept), other characters kept."""
    upper = LOWER.upper()
    table = str.maketrans(LOWER + upper, LOWER[shift:] + LOWER[:shift] + upper[shift:] + upper[:shift])
    return text.translate(table)


def char_windows(text: str, length: int) -> torch.Tensor:
    """Given: `text` as consecutive non-overlapping windows of length + 1 character ids, (N, length + 1) int64."""
    ids = lm.encode(text)
    n = len(ids) // (length + 1)
    return ids[: n * (length + 1)].view(n, length + 1)


def small_model(seed: int, d_model: int = 32) -> lm.CharGPT:
    """Given: a fresh one-layer grader.lm.CharGPT initialised from `seed` (the global RNG is left alone)."""
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        return lm.CharGPT(lm.LMConfig(n_layer=1, d_model=d_model, d_ff=2 * d_model, n_head=2))


def eval_loss(model: nn.Module, windows: torch.Tensor) -> float:
    """Given: mean next-character cross-entropy (nats) of `model` on (N, T + 1) windows."""
    with torch.no_grad():
        logits = model(windows[:, :-1])
        return F.cross_entropy(logits.double().transpose(1, 2), windows[:, 1:]).item()


def forgetting_curves(model: nn.Module, train_tasks: Sequence[torch.Tensor], val_tasks: Sequence[torch.Tensor],
                      steps_per_task: int, eval_every: int, batch_size: int = 16, lr: float = 1e-2,
                      seed: int = 0) -> torch.Tensor:
    """Train on the tasks in sequence and record every task's validation loss along the way.

    One generator, torch.Generator().manual_seed(seed), for the whole run. Each task gets a fresh
    torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.0) and steps_per_task steps; a step
    trains on windows[torch.randint(len(windows), (batch_size,), generator=generator)] with
    F.cross_entropy(model(batch[:, :-1]).transpose(1, 2), batch[:, 1:]). Row 0 of the result holds
    eval_loss on every val task before training; a new row is added after every eval_every
    steps, counting steps globally across tasks.

    Shapes:
        returns: (n_tasks * steps_per_task // eval_every + 1, n_tasks) float64

    Raises:
        ValueError: if the task lists are empty or differ in length, or eval_every does not divide
            steps_per_task (so every task boundary has a row).
    """
    if len(train_tasks) == 0 or len(train_tasks) != len(val_tasks):
        raise ValueError(f"need matching non-empty task lists, got {len(train_tasks)} and {len(val_tasks)}")
    if eval_every < 1 or steps_per_task % eval_every:
        raise ValueError(f"eval_every={eval_every} must divide steps_per_task={steps_per_task}")
    g = torch.Generator().manual_seed(seed)
    rows = [[eval_loss(model, v) for v in val_tasks]]
    step = 0
    for windows in train_tasks:
        opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.0)
        for _ in range(steps_per_task):
            batch = windows[torch.randint(len(windows), (batch_size,), generator=g)]
            loss = F.cross_entropy(model(batch[:, :-1]).transpose(1, 2), batch[:, 1:])
            opt.zero_grad()
            loss.backward()
            opt.step()
            step += 1
            if step % eval_every == 0:
                rows.append([eval_loss(model, v) for v in val_tasks])
    return torch.tensor(rows, dtype=torch.float64)


def forgetting_after_shifts(curves: torch.Tensor, steps_per_task: int, eval_every: int) -> torch.Tensor:
    """How much each task has been forgotten after each later task shift.

    Let b_k = curves[(k + 1) * steps_per_task // eval_every] be the losses at the end of phase k.
    E[k, j] = b_k[j] - b_j[j] for k > j (how far task j's loss has risen since the end of its own
    phase) and NaN for k <= j.

    Shapes:
        curves: (n_tasks * steps_per_task // eval_every + 1, n_tasks)
        returns: (n_tasks, n_tasks) float64
    """
    n = curves.shape[1]
    per = steps_per_task // eval_every
    ends = curves[[(k + 1) * per for k in range(n)]].double()
    out = torch.full((n, n), math.nan, dtype=torch.float64)
    for k in range(n):
        for j in range(k):
            out[k, j] = ends[k, j] - ends[j, j]
    return out


def plot_forgetting_curves(curves: torch.Tensor, steps_per_task: int, eval_every: int,
                           names: Sequence[str]) -> Figure:
    """Every task's validation loss against training steps, with the task shifts marked.

    One line per task, labelled names[j], x = 0, eval_every, 2 * eval_every, ... (row i is at step
    i * eval_every), y = curves[:, j]; a vertical line at every shift, x = k * steps_per_task for
    k = 1 .. n_tasks - 1; an x label mentioning "step", a y label mentioning "loss", and a legend.

    Returns:
        the matplotlib Figure (one Axes)
    """
    fig, ax = plt.subplots()
    steps = [i * eval_every for i in range(curves.shape[0])]
    for j, name in enumerate(names):
        ax.plot(steps, curves[:, j].tolist(), label=name)
    for k in range(1, curves.shape[1]):
        ax.axvline(k * steps_per_task, color="grey", linestyle=":")
    ax.set_xlabel("training step")
    ax.set_ylabel("validation loss (nats/char)")
    ax.legend()
    return fig
