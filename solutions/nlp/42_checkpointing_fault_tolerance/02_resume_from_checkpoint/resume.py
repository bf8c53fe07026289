"""Reference solution for nlp-42-2."""
from __future__ import annotations

import os
from pathlib import Path
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
    path = Path(path)
    state = {
        "model": model.state_dict(),
        "optimizer": optimizer.state_dict(),
        "scheduler": scheduler.state_dict(),
        "rng": torch.get_rng_state(),
        "gen": gen.get_state(),
        "step": step,
    }
    tmp = path.with_name(path.name + ".tmp")
    try:
        torch.save(state, tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def load_checkpoint(path: str | os.PathLike, model: nn.Module, optimizer: torch.optim.Optimizer,
                    scheduler: Any, gen: torch.Generator) -> int:
    state = torch.load(path, weights_only=True)
    model.load_state_dict(state["model"])
    optimizer.load_state_dict(state["optimizer"])
    scheduler.load_state_dict(state["scheduler"])
    torch.set_rng_state(state["rng"])
    gen.set_state(state["gen"])
    return int(state["step"])


def train(model: nn.Module, optimizer: torch.optim.Optimizer, scheduler: Any, x: torch.Tensor,
          y: torch.Tensor, *, steps: int, batch_size: int, seed: int, ckpt_path: str | os.PathLike,
          ckpt_every: int, resume: bool = False) -> list[float]:
    if ckpt_every < 1:
        raise ValueError(f"ckpt_every must be at least 1, got {ckpt_every}")
    gen = torch.Generator()
    if resume and Path(ckpt_path).exists():
        start = load_checkpoint(ckpt_path, model, optimizer, scheduler, gen)
    else:
        torch.manual_seed(seed)
        gen.manual_seed(seed)
        start = 0
    losses = []
    for t in range(start + 1, steps + 1):
        losses.append(train_step(model, optimizer, scheduler, x, y, gen, batch_size))
        if t % ckpt_every == 0:
            save_checkpoint(ckpt_path, model, optimizer, scheduler, t, gen)
    return losses

