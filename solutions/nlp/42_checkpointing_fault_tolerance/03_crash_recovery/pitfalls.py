"""Plausible wrong crash-recovery implementations that the tests must reject."""
from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

import torch

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from crash_recovery import checkpoint_name, latest_checkpoint, make_run, save_atomic, train_step


@pitfall(replaces="save_atomic", why="torch.save straight onto the path: a crash or error mid-write leaves a broken checkpoint")
def direct_save(path: Path, state: dict) -> None:
    torch.save(state, path)


@pitfall(replaces="latest_checkpoint", why="globs step_* and takes the last name: picks up a half-written .tmp file")
def includes_tmp(ckpt_dir: Path) -> Path | None:
    found = sorted(Path(ckpt_dir).glob("step_*"))
    return found[-1] if found else None


def _run(ckpt_dir: Path, log_path: Path, steps: int, ckpt_every: int, seed: int, *, restore_rng: bool,
         keep: int | None) -> list[tuple[int, float]]:
    if ckpt_every < 1:
        raise ValueError("ckpt_every")
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
        if restore_rng:
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
                if keep is not None:
                    for old in sorted(ckpt_dir.glob("step_*.pt"))[:-keep]:
                        old.unlink()
    return done


@pitfall(replaces="run", why="restores model, optimizer and data order but not the global RNG: dropout masks change after the crash")
def no_rng_restore(ckpt_dir: Path, log_path: Path, steps: int, ckpt_every: int, seed: int) -> list[tuple[int, float]]:
    return _run(ckpt_dir, log_path, steps, ckpt_every, seed, restore_rng=False, keep=2)


@pitfall(replaces="run", why="never deletes old checkpoints: the disk fills up over a long run")
def keeps_everything(ckpt_dir: Path, log_path: Path, steps: int, ckpt_every: int, seed: int) -> list[tuple[int, float]]:
    return _run(ckpt_dir, log_path, steps, ckpt_every, seed, restore_rng=True, keep=None)


@pitfall(replaces="run", why="keeps only the newest checkpoint: no fallback if it turns out to be bad")
def keeps_one(ckpt_dir: Path, log_path: Path, steps: int, ckpt_every: int, seed: int) -> list[tuple[int, float]]:
    return _run(ckpt_dir, log_path, steps, ckpt_every, seed, restore_rng=True, keep=1)
