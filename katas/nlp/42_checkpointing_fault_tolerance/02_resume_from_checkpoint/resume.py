"""nlp-42-2: resume from checkpoint with optimizer state. Edit this file; `grader check nlp-42-2` tests it."""
from __future__ import annotations

import os
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn


def train_step(model: nn.Module, optimizer: torch.optim.Optimizer, scheduler: Any, x: torch.Tensor,
               y: torch.Tensor, gen: torch.Generator, batch_size: int) -> float:
    """Given: one training step on a batch drawn with `gen`; returns the batch loss."""
    idx = torch.randint(len(x), (batch_size,), generator=gen)
    loss = F.cross_entropy(model(x[idx]), y[idx])
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    scheduler.step()
    return loss.item()


def save_checkpoint(path: str | os.PathLike, model: nn.Module, optimizer: torch.optim.Optimizer,
                    scheduler: Any, step: int, gen: torch.Generator) -> None:
    """Write everything a bitwise-identical resume needs to `path`, atomically.

    The checkpoint holds the state_dicts of model, optimizer and scheduler, the global CPU RNG state
    (torch.get_rng_state(), which dropout draws from), the data generator's state
    (gen.get_state()) and `step`. Atomic: the file at `path` is either the old checkpoint or the
    complete new one, never a partial file, even when writing fails half-way (write a temporary file
    in the same directory, then os.replace it onto `path`).
    """
    raise NotImplementedError("save_checkpoint: gather all states, torch.save to a temp file, os.replace")


def load_checkpoint(path: str | os.PathLike, model: nn.Module, optimizer: torch.optim.Optimizer,
                    scheduler: Any, gen: torch.Generator) -> int:
    """Restore model, optimizer, scheduler, the global RNG and `gen` from `path`; return the saved step."""
    raise NotImplementedError("load_checkpoint: torch.load and load every state back")


def train(model: nn.Module, optimizer: torch.optim.Optimizer, scheduler: Any, x: torch.Tensor,
          y: torch.Tensor, *, steps: int, batch_size: int, seed: int, ckpt_path: str | os.PathLike,
          ckpt_every: int, resume: bool = False) -> list[float]:
    """Train until global step `steps`, checkpointing every `ckpt_every` steps; resume if asked.

    Fresh start (resume=False, or no file at ckpt_path): torch.manual_seed(seed), the data generator
    is torch.Generator().manual_seed(seed), and training starts after step 0. Resume (resume=True and
    ckpt_path exists): load_checkpoint restores everything and training continues after the saved
    step. Each step is `train_step(...)` with that generator; after step number t (counting from 1)
    a checkpoint is saved when t % ckpt_every == 0.

    A run stopped after any step k and resumed with the same arguments (and steps > k) ends with
    parameters bitwise identical to one uninterrupted run, and the resumed call's losses are the
    uninterrupted run's losses from the checkpointed step on.

    Shapes:
        x: (N, d_in) float32; y: (N,) int64 class ids
        returns: the losses of the steps this call ran, in order (empty if already at `steps`)

    Raises:
        ValueError: if ckpt_every < 1.
    """
    raise NotImplementedError("train: fresh start or resume, loop train_step, checkpoint every ckpt_every")

