"""Reference solution for nlp-42-3."""
from __future__ import annotations

import os
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
    path = Path(path)
    tmp = path.with_name(path.name + ".tmp")
    try:
        with open(tmp, "wb") as f:
            torch.save(state, f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def latest_checkpoint(ckpt_dir: Path) -> Path | None:
    found = [p for p in Path(ckpt_dir).iterdir() if p.name == checkpoint_name(_step_of(p.name))]
    return max(found, key=lambda p: _step_of(p.name), default=None)


def _step_of(name: str) -> int:
    try:
        return int(name.removeprefix("step_").removesuffix(".pt"))
    except ValueError:
        return -1


def run(ckpt_dir: Path, log_path: Path, steps: int, ckpt_every: int, seed: int) -> list[tuple[int, float]]:
    if ckpt_every < 1:
        raise ValueError(f"ckpt_every must be at least 1, got {ckpt_every}")
    ckpt_dir = Path(ckpt_dir)
    model, opt, x, y = make_run(seed)
    gen = torch.Generator()
    latest = latest_checkpoint(ckpt_dir)
    if latest is None:
        torch.manual_seed(seed)
        gen.manual_seed(seed)
        start = 0
    else:
        state = torch.load(latest, weights_only=True)
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["opt"])
        torch.set_rng_state(state["rng"])
        gen.set_state(state["gen"])
        start = state["step"]
    done = []
    with open(log_path, "a") as log:
        for t in range(start + 1, steps + 1):
            loss = train_step(model, opt, x, y, gen)
            log.write(f"{t} {loss!r}\n")
            log.flush()
            os.fsync(log.fileno())
            done.append((t, loss))
            if t % ckpt_every == 0:
                save_atomic(ckpt_dir / checkpoint_name(t), {"model": model.state_dict(), "opt": opt.state_dict(),
                                                            "rng": torch.get_rng_state(), "gen": gen.get_state(),
                                                            "step": t})
                for old in sorted(ckpt_dir.glob("step_*.pt"))[:-2]:
                    old.unlink()
    return done
