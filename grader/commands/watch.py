"""`grader watch`: re-check a kata on every save, from a warm process, and move on when it passes.

Files are polled (stat every 50 ms) rather than watched through inotify: three or four files cost
nothing to poll, it works the same on every OS and file system, and it needs no dependency.
"""
from __future__ import annotations

import datetime as dt
import select
import sys
import time
from pathlib import Path

from grader.commands import check
from grader.commands.render import err, paint, use_color
from grader.discovery import catalog, paths
from grader.discovery.catalog import Kata
from grader.running import warm
from grader.stores import progress

POLL_S = 0.05
RUN_TIMEOUT_S = 600.0


def _files(kata: Kata) -> list[Path]:
    return [kata.stub, *kata.test_files, kata.folder / "kata.toml"]


def _snapshot(kata: Kata) -> tuple:
    out = []
    for f in _files(kata):
        try:
            st = f.stat()
            out.append((str(f), st.st_mtime_ns, st.st_size))
        except OSError:
            out.append((str(f), None, None))
    return tuple(out)


def _settled(kata: Kata) -> tuple:
    """Wait until a save is complete: editors often write a file in several steps."""
    snap = _snapshot(kata)
    while True:
        time.sleep(POLL_S)
        again = _snapshot(kata)
        if again == snap:
            return snap
        snap = again


def _run(kata: Kata, progress_warning: str | None) -> bool:
    if use_color():
        print("\033[2J\033[H", end="")  # redraw in place
    else:
        print(paint("─" * 72, "dim"))
    stamp = dt.datetime.now().strftime("%H:%M:%S")
    print(f"{paint(kata.id, 'cyan')} {paint(kata.title, 'bold')}  {paint(stamp, 'dim')}", flush=True)
    problem = check.preflight(kata)
    if problem:
        err(problem)
        return False
    outcome = warm.run_forked([str(f) for f in kata.test_files], ["--tb=no", "--grader-no-record"], RUN_TIMEOUT_S)
    run = check.report(kata, outcome)
    check.record(kata, run, progress_warning)
    print(paint(f"checked in {outcome.wall:.2f} s · watching {paths.relative(kata.stub)}: save to re-run, Ctrl-C to stop",
                "dim"), flush=True)
    return run.is_pass


def _next_after(kata: Kata) -> Kata | None:
    try:
        table = progress.read(paths.progress_file())
    except progress.ProgressError:
        table = {}
    from grader.commands import standing

    offered = standing.choose(catalog.discover(), table).kata  # what `grader next` says: prerequisites first
    return None if offered is None or offered.id == kata.id else offered


def _enter_pressed() -> bool:
    try:
        ready, _, _ = select.select([sys.stdin], [], [], 0)
    except (OSError, ValueError):
        return False
    return bool(ready) and sys.stdin.readline() is not None


def watch(kata: Kata, progress_warning: str | None = None) -> int:
    print(paint(f"warming up (importing what {kata.id} needs) ...", "dim"), flush=True)
    warm.preload(kata)
    snap = _snapshot(kata)
    passed = _run(kata, progress_warning)
    offered: Kata | None = None
    interactive = sys.stdin is not None and sys.stdin.isatty()
    try:
        while True:
            if passed and offered is None:
                offered = _next_after(kata)
                if offered is not None:
                    how = "press Enter to watch it" if interactive else f"run: grader watch {offered.id}"
                    print(f"{paint('Solved!', 'green')} Next: {offered.id} {offered.title} ({how})", flush=True)
                else:
                    print(paint("Solved! Every kata that exists has passed.", "green"), flush=True)
            if interactive and offered is not None and _enter_pressed():
                kata, offered = offered, None
                warm.preload(kata)
                snap = _snapshot(kata)
                passed = _run(kata, progress_warning)
                continue
            time.sleep(POLL_S)
            if _snapshot(kata) != snap:
                snap = _settled(kata)
                passed = _run(kata, progress_warning)
                if not passed:
                    offered = None
    except KeyboardInterrupt:
        print("\nstopped watching")
        return 0
