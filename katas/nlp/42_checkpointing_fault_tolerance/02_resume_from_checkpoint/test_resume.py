"""Tests for nlp-42-2, resume from checkpoint with optimizer state.

Reference: an uninterrupted training loop written here from the given `train_step` (fresh seeds, no
checkpoints). A run the learner's `train` stops after step k and resumes in fresh model, optimizer and
scheduler objects must end with bitwise the same parameters, and its losses must continue the
reference's. A write that fails half-way must leave the previous checkpoint intact.
"""
import tempfile
from pathlib import Path

import pytest
import torch
import torch._dynamo  # noqa: F401  (torch.optim's first step imports it: pay that at collection, not in a test)
from hypothesis import example, given, settings
from hypothesis import strategies as st
from torch import nn

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, describe_call

N, D_IN, N_CLASSES = 24, 3, 3


def make_data(seed: int):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(N, D_IN, generator=g), torch.randint(N_CLASSES, (N,), generator=g)


def make_run(init_seed: int, lr: float = 0.05):
    torch.manual_seed(init_seed)
    model = nn.Sequential(nn.Linear(D_IN, 8), nn.ReLU(), nn.Dropout(0.3), nn.Linear(8, N_CLASSES))
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    sched = torch.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
    return model, opt, sched


def reference(kata, init_seed, x, y, steps, batch_size, seed):
    model, opt, sched = make_run(init_seed)
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    losses = [kata.train_step(model, opt, sched, x, y, gen, batch_size) for _ in range(steps)]
    return model, losses


def assert_bitwise_same_parameters(got: nn.Module, want: nn.Module, call: str) -> None:
    for (name, p), q in zip(got.named_parameters(), want.parameters(), strict=True):
        assert_close(p.detach(), q.detach(), rtol=0, atol=0, call=call,
                     name=f"parameter {name} after resuming (bitwise, reference: the uninterrupted run)")


@given(total=st.integers(2, 9), k=st.integers(1, 8), every=st.integers(1, 4), batch_size=st.integers(1, 6),
       seed=seeds())
@example(total=6, k=5, every=2, batch_size=4, seed=0)   # stopped between checkpoints: steps 5 is redone
@example(total=6, k=4, every=2, batch_size=4, seed=1)   # stopped right after a checkpoint
@example(total=5, k=1, every=3, batch_size=2, seed=2)   # stopped before the first checkpoint: starts afresh
@example(total=4, k=3, every=1, batch_size=1, seed=3)
@settings(max_examples=12)
def test_interrupted_and_resumed_run_is_bitwise_identical(kata, total, k, every, batch_size, seed):
    k = min(k, total - 1)
    x, y = make_data(seed)
    want_model, want_losses = reference(kata, seed, x, y, total, batch_size, seed)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ckpt.pt"
        kw = dict(batch_size=batch_size, seed=seed, ckpt_path=path, ckpt_every=every)
        call = describe_call("train", steps=total, **kw, resume=True) + f" after a run stopped at step {k}"
        # a stale checkpoint from another run: resume=False must ignore it
        stale = make_run(seed + 7)
        kata.train(*stale, x, y, steps=every, **{**kw, "seed": seed + 7})
        first = kata.train(*make_run(seed), x, y, steps=k, **kw)
        assert_close(first, want_losses[:k], rtol=0, atol=0, call=describe_call("train", steps=k, **kw),
                     name="losses of a fresh run (resume=False over a stale checkpoint)")
        if k < every:  # the first run wrote no checkpoint: the stale one is not part of this scenario
            path.unlink()
        # the crash: every object is lost; new ones (a different init) are restored from disk
        # (with no checkpoint yet, the restarted job rebuilds the original init and starts afresh)
        model, opt, sched = make_run(seed + 1 if k >= every else seed)
        second = kata.train(model, opt, sched, x, y, steps=total, **kw, resume=True)
    saved = (k // every) * every
    assert_close(second, want_losses[saved:], rtol=0, atol=0, call=call,
                 name=f"losses of the resumed call (the uninterrupted run's losses from step {saved + 1} on)")
    assert_bitwise_same_parameters(model, want_model, call)


@given(seed=seeds(), steps=st.integers(0, 3))
@example(seed=0, steps=0)
@settings(max_examples=5)
def test_resume_without_a_checkpoint_starts_afresh(kata, seed, steps):
    x, y = make_data(seed)
    want_model, want_losses = reference(kata, seed, x, y, steps, 3, seed)
    with tempfile.TemporaryDirectory() as tmp:
        model, opt, sched = make_run(seed)
        kw = dict(steps=steps, batch_size=3, seed=seed, ckpt_path=Path(tmp) / "none.pt", ckpt_every=5, resume=True)
        got = kata.train(model, opt, sched, x, y, **kw)
    call = describe_call("train", **kw) + " with no checkpoint on disk"
    assert_close(got, want_losses, rtol=0, atol=0, call=call, name="losses")
    assert_bitwise_same_parameters(model, want_model, call)


class UnpicklableScheduler:
    """A scheduler whose state cannot be pickled: torch.save fails half-way through writing."""

    def state_dict(self):
        return {"fn": lambda: None}

    def load_state_dict(self, state):
        pass


@given(seed=seeds())
@settings(max_examples=3)
def test_a_failed_write_keeps_the_last_checkpoint(kata, seed):
    model, opt, sched = make_run(seed)
    gen = torch.Generator().manual_seed(seed)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "ckpt.pt"
        kata.save_checkpoint(path, model, opt, sched, 3, gen)
        good = path.read_bytes()
        with pytest.raises(Exception):  # noqa: B017  (whatever pickling raises must reach the caller)
            kata.save_checkpoint(path, model, opt, UnpicklableScheduler(), 4, gen)
        assert path.read_bytes() == good, (
            "save_checkpoint(path, ..., step=4) failed half-way and left a different file at `path`: the step-3 "
            "checkpoint was destroyed. Write to a temporary file, then os.replace it onto the path.")
        fresh, fresh_opt, fresh_sched = make_run(seed + 1)
        step = kata.load_checkpoint(path, fresh, fresh_opt, fresh_sched, torch.Generator())
        assert_equal(step, 3, call="load_checkpoint(path, ...) after a failed save of step 4", name="step")


@given(every=st.integers(-2, 0))
@example(every=0)
def test_rejects_ckpt_every_below_one(kata, every):
    x, y = make_data(0)
    with tempfile.TemporaryDirectory() as tmp, pytest.raises(ValueError):
        kata.train(*make_run(0), x, y, steps=2, batch_size=2, seed=0, ckpt_path=Path(tmp) / "c.pt", ckpt_every=every)
        pytest.fail(f"train(..., ckpt_every={every}) returned instead of raising ValueError")
