"""nlp-42-3: crash recovery. Edit this file; `grader check nlp-42-3` tests it."""
from __future__ import annotations

import os  # noqa: F401  (you will need it)
from pathlib import Path

import torch
import torch.nn.functional as F
from torch import nn


def make_run(seed: int) -> tuple[nn.Module, torch.optim.Optimizer, torch.Tensor, torch.Tensor]:
    """Given: a fresh model, its Adam optimizer and a fixed dataset, all determined by `seed`."""
    torch.manual_seed(seed)
    model = nn.Sequential(nn.Linear(4, 16), nn.ReLU(), nn.Dropout(0.2), nn.Linear(16, 3))
    opt = torch.optim.Adam(model.parameters(), lr=0.01)
    g = torch.Generator().manual_seed(seed)
    return model, opt, torch.randn(64, 4, generator=g), torch.randint(3, (64,), generator=g)


def train_step(model: nn.Module, opt: torch.optim.Optimizer, x: torch.Tensor, y: torch.Tensor,
               gen: torch.Generator) -> float:
    """Given: one step on a batch of 8 rows drawn with `gen`; returns the loss."""
    idx = torch.randint(len(x), (8,), generator=gen)
    loss = F.cross_entropy(model(x[idx]), y[idx])
    opt.zero_grad()
    loss.backward()
    opt.step()
    return loss.item()


def checkpoint_name(step: int) -> str:
    """Given: the file name of the checkpoint taken after `step`."""
    return f"step_{step:06d}.pt"


def save_atomic(path: Path, state: dict) -> None:
    """torch.save(state) to `path` so that `path` never holds a partial file, even if the process is
    killed mid-write: write `path` + ".tmp" in the same directory, flush and os.fsync it, then
    os.replace it onto `path`. If saving raises, the temporary file is removed and the error propagates.
    """
    raise NotImplementedError("save_atomic: temp file, fsync, os.replace")


def latest_checkpoint(ckpt_dir: Path) -> Path | None:
    """The checkpoint of the highest step in ckpt_dir (files named checkpoint_name(step); anything
    else, temporary files included, is ignored), or None if there is none."""
    raise NotImplementedError("latest_checkpoint")


def run(ckpt_dir: Path, log_path: Path, steps: int, ckpt_every: int, seed: int) -> list[tuple[int, float]]:
    """Train until step `steps`, surviving a SIGKILL at any moment.

    Start from latest_checkpoint(ckpt_dir) if there is one (restore model, optimizer, the global RNG
    and the data generator, continue after its step), else afresh from make_run(seed) with
    torch.manual_seed(seed) and gen = torch.Generator().manual_seed(seed). After each step t append
    the line f"{t} {loss!r}\n" to log_path, flushed and fsynced before anything else happens. When
    t % ckpt_every == 0, save_atomic the state to ckpt_dir / checkpoint_name(t) and then delete all
    but the two newest checkpoints.

    Returns:
        the (step, loss) pairs this call ran, in order.

    Raises:
        ValueError: if ckpt_every < 1.
    """
    raise NotImplementedError("run: resume or start, step, log, checkpoint")
