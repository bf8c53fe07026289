"""nlp-29-1: train on task A, then task B, and measure how much of A is lost. Edit this file; `grader check nlp-29-1` tests it."""
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
    raise NotImplementedError("train_on_task: AdamW steps on seeded random batches of one task")


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
    raise NotImplementedError("loss_matrix: R[i + 1, j]: loss on task j after training on task i")


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
    raise NotImplementedError("forgetting: final loss minus the best loss since the task was learned")


def backward_transfer(R: torch.Tensor) -> float:
    """Backward transfer (Lopez-Paz & Ranzato, 2017), in loss: mean over j < n - 1 of A[j, j] - A[n - 1, j].

    A = R[1:]. Negative means later tasks made earlier ones worse (forgetting); positive means they
    helped.

    Raises:
        ValueError: with fewer than two tasks.
    """
    raise NotImplementedError("backward_transfer: mean of A[j, j] - A[n - 1, j] over the earlier tasks")
