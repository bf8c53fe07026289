"""Tests for nlp-42-3, crash recovery.

Reference: an uninterrupted run of the same seeded training written here from the given helpers.
The crash is real: the learner's `run` trains in a forked child process that the test kills with
SIGKILL at a drawn os.fsync call (the child waits at each one for the test's go, so the kill point
does not depend on how busy the machine is); `run` is then called again in the test process and must
resume from the last complete checkpoint. Every logged loss, from both processes, must equal the
uninterrupted run's loss at that step (bitwise): loss continuity.
"""
import multiprocessing as mp
import os
import select
import signal
import tempfile
from pathlib import Path

import pytest
import torch
import torch._dynamo  # noqa: F401  (torch.optim's first step imports it: pay that at collection, not in a test)
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, describe_call

pytestmark = pytest.mark.slow  # forks and kills a training process

# fsync on every logged step is the point of the kata, and slow on a real disk: use RAM when there is one
SCRATCH = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None


def reference_losses(kata, seed, steps):
    model, opt, x, y = kata.make_run(seed)
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    return [kata.train_step(model, opt, x, y, gen) for _ in range(steps)]


def read_log(path: Path) -> list[tuple[int, float]]:
    text = path.read_text() if path.exists() else ""
    lines = text.split("\n")[:-1]  # a line cut by the kill has no newline yet
    return [(int(a), float(b)) for a, b in (line.split() for line in lines)]


def _child(kata, ckpt_dir, log_path, steps, every, seed, ready_w, go_r):
    torch.set_num_threads(1)
    real_fsync = os.fsync

    def fsync_in_lock_step(fd):
        # Stop before every fsync until the test says go: the kill lands at a chosen fsync however
        # busy the machine is (the log line is written and flushed, the checkpoint .tmp half-made).
        os.write(ready_w, b"w")
        if os.read(go_r, 1) != b"g":
            os._exit(3)
        real_fsync(fd)

    os.fsync = fsync_in_lock_step
    kata.run(ckpt_dir, log_path, steps, every, seed)
    os._exit(0)


def kill_at(kata, ckpt_dir, log_path, steps, every, seed, at_sync) -> int:
    """Run `run` in a child process, SIGKILL it at its `at_sync`-th fsync; the steps it logged."""
    ready_r, ready_w = os.pipe()
    go_r, go_w = os.pipe()
    proc = mp.get_context("fork").Process(target=_child,
                                          args=(kata, ckpt_dir, log_path, steps, every, seed, ready_w, go_r))
    proc.start()
    os.close(ready_w)
    os.close(go_r)
    try:
        for n in range(1, at_sync + 1):
            ready, _, _ = select.select([ready_r], [], [], 60)
            if not ready or os.read(ready_r, 1) != b"w":
                break  # the child finished (or hung) before its at_sync-th fsync
            if n == at_sync:
                os.kill(proc.pid, signal.SIGKILL)
            else:
                os.write(go_w, b"g")
    finally:
        if proc.is_alive():
            os.kill(proc.pid, signal.SIGKILL)
        proc.join()
        os.close(ready_r)
        os.close(go_w)
    return len(read_log(log_path))


@given(step=st.integers(1, 40), every=st.integers(1, 7), seed=seeds())
@example(step=10, every=4, seed=0)
@example(step=3, every=5, seed=1)     # killed before the first checkpoint: starts again from scratch
@example(step=6, every=2, seed=2)     # the 6th fsync is step 4's checkpoint: killed half-way through save_atomic
@settings(max_examples=4)
def test_killed_run_resumes_with_continuous_loss(kata, step, every, seed):
    steps = 80
    want = reference_losses(kata, seed, steps)
    with tempfile.TemporaryDirectory(dir=SCRATCH) as tmp:
        ckpt_dir, log_path = Path(tmp) / "ckpt", Path(tmp) / "train.log"
        ckpt_dir.mkdir()
        died_after = kill_at(kata, ckpt_dir, log_path, steps, every, seed, at_sync=step)
        call = describe_call("run", "ckpt_dir", "log", steps, every, seed) + f" after SIGKILL at step {died_after}"
        resumed = kata.run(ckpt_dir, log_path, steps, every, seed)
        log = read_log(log_path)
        kept = sorted(p.name for p in ckpt_dir.iterdir() if not p.name.endswith(".tmp"))
    assert resumed, (f"{call} ran no step: the first run finished all {steps} steps although the test kills it at "
                     f"its fsync number {step} (does run fsync each log line with os.fsync, as the docstring asks?)")
    first = resumed[0][0]
    assert first - 1 <= died_after and (first - 1) % every == 0, (
        f"{call} resumed at step {first}: expected right after the last checkpoint taken before the crash "
        f"(a multiple of {every}, at most {died_after})")
    assert_close([loss for _, loss in resumed], want[first - 1:], rtol=0, atol=0, call=call,
                 name=f"losses of the resumed call (the uninterrupted run's, from step {first})")
    for t, loss in log:
        assert_close(loss, want[t - 1], rtol=0, atol=0, call=call, name=f"logged loss at step {t} (loss continuity)")
    assert_equal(sorted({t for t, _ in log}), list(range(1, steps + 1)), call=call, name="steps present in the log")
    assert_equal(kept, [kata.checkpoint_name(t) for t in range(steps // every * every - every, steps + 1, every)
                        if t > 0][-2:], call=call, name="checkpoint files left (the two newest)")


def test_latest_checkpoint_ignores_temporary_and_other_files(kata):
    with tempfile.TemporaryDirectory(dir=SCRATCH) as tmp:
        d = Path(tmp)
        assert kata.latest_checkpoint(d) is None, "latest_checkpoint(empty dir) should be None"
        for name in [kata.checkpoint_name(3), kata.checkpoint_name(10), kata.checkpoint_name(12) + ".tmp", "notes.txt",
                     kata.checkpoint_name(9)]:
            (d / name).write_bytes(b"x")
        got = kata.latest_checkpoint(d)
        assert got is not None and Path(got).name == kata.checkpoint_name(10), (
            f"latest_checkpoint({sorted(p.name for p in d.iterdir())}) = {got}, expected {kata.checkpoint_name(10)}")


def test_save_atomic_keeps_the_old_file_when_writing_fails(kata):
    with tempfile.TemporaryDirectory(dir=SCRATCH) as tmp:
        path = Path(tmp) / kata.checkpoint_name(4)
        kata.save_atomic(path, {"step": 4, "w": torch.arange(3.0)})
        good = path.read_bytes()
        with pytest.raises(Exception):  # noqa: B017  (whatever pickling raises must reach the caller)
            kata.save_atomic(path, {"step": 5, "fn": lambda: None})
        assert path.read_bytes() == good, "save_atomic failed half-way and changed the file at `path`"
        left = sorted(p.name for p in Path(tmp).iterdir())
        assert left == [path.name], f"save_atomic left {left} behind after a failed write, expected only {path.name}"
        assert torch.load(path, weights_only=True)["step"] == 4


@pytest.mark.parametrize("every", [0, -1])
def test_rejects_ckpt_every_below_one(kata, every):
    with tempfile.TemporaryDirectory(dir=SCRATCH) as tmp, pytest.raises(ValueError):
        kata.run(Path(tmp), Path(tmp) / "log", 3, every, 0)
        pytest.fail(f"run(..., ckpt_every={every}) returned instead of raising ValueError")
