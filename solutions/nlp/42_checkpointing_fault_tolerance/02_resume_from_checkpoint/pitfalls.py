"""Plausible wrong versions of checkpoint/resume that the tests must reject."""
from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import torch
from torch import nn

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from resume import load_checkpoint, save_checkpoint, train_step


@pitfall(replaces="save_checkpoint", why="saves the optimizer's hyperparameters but not its per-parameter state: "
         "Adam's moments and step count restart from zero")
def no_optimizer_state(path: str | os.PathLike, model: nn.Module, optimizer: torch.optim.Optimizer, scheduler: Any,
                       step: int, gen: torch.Generator) -> None:
    opt = optimizer.state_dict()
    opt["state"] = {}
    state = {"model": model.state_dict(), "optimizer": opt, "scheduler": scheduler.state_dict(),
             "rng": torch.get_rng_state(), "gen": gen.get_state(), "step": step}
    tmp = Path(str(path) + ".tmp")
    torch.save(state, tmp)
    os.replace(tmp, path)


@pitfall(replaces="load_checkpoint", why="does not restore the scheduler: the learning rate jumps back to its start")
def no_scheduler(path: str | os.PathLike, model: nn.Module, optimizer: torch.optim.Optimizer, scheduler: Any,
                 gen: torch.Generator) -> int:
    state = torch.load(path, weights_only=True)
    model.load_state_dict(state["model"])
    lr = [g["lr"] for g in optimizer.param_groups]
    optimizer.load_state_dict(state["optimizer"])
    for g, v in zip(optimizer.param_groups, lr, strict=True):
        g["lr"] = v
    torch.set_rng_state(state["rng"])
    gen.set_state(state["gen"])
    return int(state["step"])


@pitfall(replaces="load_checkpoint", why="does not restore the global RNG: dropout draws different masks after resuming")
def no_global_rng(path: str | os.PathLike, model: nn.Module, optimizer: torch.optim.Optimizer, scheduler: Any,
                  gen: torch.Generator) -> int:
    state = torch.load(path, weights_only=True)
    model.load_state_dict(state["model"])
    optimizer.load_state_dict(state["optimizer"])
    scheduler.load_state_dict(state["scheduler"])
    gen.set_state(state["gen"])
    return int(state["step"])


@pitfall(replaces="load_checkpoint", why="does not restore the data generator: the resumed run sees other batches")
def no_data_position(path: str | os.PathLike, model: nn.Module, optimizer: torch.optim.Optimizer, scheduler: Any,
                     gen: torch.Generator) -> int:
    state = torch.load(path, weights_only=True)
    model.load_state_dict(state["model"])
    optimizer.load_state_dict(state["optimizer"])
    scheduler.load_state_dict(state["scheduler"])
    torch.set_rng_state(state["rng"])
    return int(state["step"])


@pitfall(replaces="save_checkpoint", why="torch.save straight onto the path: a failed write destroys the last good checkpoint")
def not_atomic(path: str | os.PathLike, model: nn.Module, optimizer: torch.optim.Optimizer, scheduler: Any,
               step: int, gen: torch.Generator) -> None:
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                "scheduler": scheduler.state_dict(), "rng": torch.get_rng_state(), "gen": gen.get_state(),
                "step": step}, path)


@pitfall(replaces="train", why="resumes at the saved step itself: the checkpointed step is trained twice")
def repeats_saved_step(model: nn.Module, optimizer: torch.optim.Optimizer, scheduler: Any, x: torch.Tensor,
                       y: torch.Tensor, *, steps: int, batch_size: int, seed: int, ckpt_path: str | os.PathLike,
                       ckpt_every: int, resume: bool = False) -> list[float]:
    if ckpt_every < 1:
        raise ValueError("ckpt_every")
    gen = torch.Generator()
    if resume and Path(ckpt_path).exists():
        start = load_checkpoint(ckpt_path, model, optimizer, scheduler, gen) - 1
    else:
        torch.manual_seed(seed)
        gen.manual_seed(seed)
        start = 0
    losses = []
    for t in range(max(start, 0) + 1, steps + 1):
        losses.append(train_step(model, optimizer, scheduler, x, y, gen, batch_size))
        if t % ckpt_every == 0:
            save_checkpoint(ckpt_path, model, optimizer, scheduler, t, gen)
    return losses


@pitfall(replaces="train", why="reseeds the global RNG on resume too: dropout masks restart from the beginning")
def reseeds_on_resume(model: nn.Module, optimizer: torch.optim.Optimizer, scheduler: Any, x: torch.Tensor,
                      y: torch.Tensor, *, steps: int, batch_size: int, seed: int, ckpt_path: str | os.PathLike,
                      ckpt_every: int, resume: bool = False) -> list[float]:
    if ckpt_every < 1:
        raise ValueError("ckpt_every")
    gen = torch.Generator()
    torch.manual_seed(seed)
    if resume and Path(ckpt_path).exists():
        state = torch.load(ckpt_path, weights_only=True)
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        scheduler.load_state_dict(state["scheduler"])
        gen.set_state(state["gen"])
        start = int(state["step"])
    else:
        gen.manual_seed(seed)
        start = 0
    losses = []
    for t in range(start + 1, steps + 1):
        losses.append(train_step(model, optimizer, scheduler, x, y, gen, batch_size))
        if t % ckpt_every == 0:
            save_checkpoint(ckpt_path, model, optimizer, scheduler, t, gen)
    return losses
