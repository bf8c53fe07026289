"""Reference solution for nlp-29-1."""
from __future__ import annotations

from collections.abc import Sequence

import torch
import torch.nn.functional as F
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


def train_on_task(model: nn.Module, windows: torch.Tensor, steps: int, batch_size: int, lr: float,
                  generator: torch.Generator) -> list[float]:
    """Train `model` in place on one task; return the training loss of every step.

    A fresh torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.0) for this task. Each step:
    batch = windows[torch.randint(len(windows), (batch_size,), generator=generator)], loss =
    F.cross_entropy(model(batch[:, :-1]).transpose(1, 2), batch[:, 1:]), then zero_grad, backward,
    step. The generator is only used for those draws.

    Shapes:
        windows: (N, T + 1) int64
        returns: a list of `steps` floats
    """
    opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.0)
    losses = []
    for _ in range(steps):
        batch = windows[torch.randint(len(windows), (batch_size,), generator=generator)]
        loss = F.cross_entropy(model(batch[:, :-1]).transpose(1, 2), batch[:, 1:])
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    return losses


def loss_matrix(model: nn.Module, train_tasks: Sequence[torch.Tensor], val_tasks: Sequence[torch.Tensor],
                steps: int, batch_size: int = 16, lr: float = 1e-2, seed: int = 0) -> torch.Tensor:
    """Train on the tasks one after another and record every task's validation loss after each.

    R[0, j] = eval_loss(model, val_tasks[j]) before any training; then for each task i in order,
    train_on_task(model, train_tasks[i], steps, batch_size, lr, generator) and
    R[i + 1, j] = eval_loss(model, val_tasks[j]) for every j. One generator,
    torch.Generator().manual_seed(seed), serves all tasks. The model is trained in place.

    Shapes:
        returns: (n_tasks + 1, n_tasks) float64

    Raises:
        ValueError: if there are no tasks or train_tasks and val_tasks differ in length.
    """
    if len(train_tasks) == 0 or len(train_tasks) != len(val_tasks):
        raise ValueError(f"need matching non-empty task lists, got {len(train_tasks)} and {len(val_tasks)}")
    g = torch.Generator().manual_seed(seed)
    rows = [[eval_loss(model, v) for v in val_tasks]]
    for task in train_tasks:
        train_on_task(model, task, steps, batch_size, lr, g)
        rows.append([eval_loss(model, v) for v in val_tasks])
    return torch.tensor(rows, dtype=torch.float64)


def forgetting(R: torch.Tensor) -> torch.Tensor:
    """How much each earlier task was forgotten by the end, measured in loss (Chaudhry et al., 2018).

    With A = R[1:] (A[l, j] = loss on task j after training on task l) and n tasks, for j < n - 1:

        f_j = A[n - 1, j] - min_{j <= l <= n - 2} A[l, j]

    the rise from the best loss task j ever had (from when it was learned until before the last task)
    to its final loss. The last task is not scored.

    Shapes:
        R: (n + 1, n)
        returns: (n - 1,) float64 (empty for one task)
    """
    A = R[1:].double()
    n = A.shape[1]
    return torch.stack([A[n - 1, j] - A[j:n - 1, j].min() for j in range(n - 1)]) if n > 1 else \
        torch.empty(0, dtype=torch.float64)


def backward_transfer(R: torch.Tensor) -> float:
    """Backward transfer (Lopez-Paz & Ranzato, 2017), in loss: mean over j < n - 1 of A[j, j] - A[n - 1, j].

    A = R[1:]. Negative means later tasks made earlier ones worse (forgetting); positive means they
    helped.

    Raises:
        ValueError: with fewer than two tasks.
    """
    A = R[1:].double()
    n = A.shape[1]
    if n < 2:
        raise ValueError("backward transfer needs at least two tasks")
    return float(torch.mean(torch.stack([A[j, j] - A[n - 1, j] for j in range(n - 1)])))
