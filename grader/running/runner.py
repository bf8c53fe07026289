"""Running a kata's tests in a child pytest process and reading back what happened.

A child process keeps learner code that crashes, hangs or exits away from the grader itself: the
grader always gets to report, and to record a crash as a failure.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from grader.discovery import paths

# Plugins a kata run never needs: anyio's (installed with Jupyter) costs ~0.5 s to import, and the
# unraisable/thread-exception plugins end each session with two full garbage collections.
LEAN = ["-p", "no:anyio", "-p", "no:unraisableexception", "-p", "no:threadexception", "-p", "no:cacheprovider"]


def pytest_args(test_paths: list[str], report: Path, extra: list[str]) -> list[str]:
    """pytest's arguments for a grader run, in a child process or a forked warm one."""
    # `-o addopts=...` replaces whatever addopts a (possibly edited) pyproject.toml carries.
    return [*test_paths, "-q", "--no-header", *LEAN, "-o", "addopts=--import-mode=importlib",
            "--grader-report", str(report), *extra]


@dataclass
class Outcome:
    returncode: int
    tests: list[dict] = field(default_factory=list)
    collect_errors: dict[str, str] = field(default_factory=dict)
    output: str = ""
    crashed: str | None = None  # why the child died without a report, if it did
    wall: float = 0.0
    collected: dict[str, int] = field(default_factory=dict)  # kata id -> tests collected
    exitstatus: int | None = None  # pytest's own exit status, as its session saw it
    running: str | None = None  # the test that was running when the process died, if one was


def read_live(path: Path) -> tuple[dict[str, int], list[dict], str | None]:
    """What a dead child's event log says: tests collected per kata, tests finished, the one running."""
    collected: dict[str, int] = {}
    finished: list[dict] = []
    running = None
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError:
        return collected, finished, running
    for line in lines:
        kind, *rest = line.split("\t")
        if kind == "collected" and rest:
            collected = json.loads(rest[0])
        elif kind == "start" and rest:
            running = rest[0]
        elif kind == "end" and len(rest) >= 3:
            finished.append({"nodeid": rest[0], "outcome": rest[1], "kata": rest[2], "called": True})
            running = None if running == rest[0] else running
    return collected, finished, running


def from_report(returncode: int, data: dict, output: str, wall: float) -> Outcome:
    return Outcome(returncode, data["tests"], data["collect_errors"], output, None, wall,
                   data.get("collected", {}), data.get("exitstatus"))


def clean_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment of a grader child: the caller's, without the knobs that change what pytest runs.

    PYTEST_ADDOPTS (`-k`, `-m "not slow"`, `-p`), PYTEST_PLUGINS and friends would let a run that
    skipped tests look complete; the grader passes its own arguments instead."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    return {**env, **(extra or {}), "PYTHONDONTWRITEBYTECODE": "1"}


def describe_death(returncode: int) -> str:
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = f"signal {-returncode}"
        return f"the test process was killed by {name}" + (" (a segmentation fault in your code?)" if name == "SIGSEGV" else "")
    return f"the test process exited with status {returncode} before reporting (sys.exit or os._exit in your code?)"


def died(returncode: int, report: Path, output: str, why: str, wall: float) -> Outcome:
    collected, finished, running = read_live(Path(f"{report}.live"))
    return Outcome(returncode, finished, {}, output, why, wall, collected, None, running)


def run(test_paths: list[str], extra: list[str], *, env: dict[str, str] | None = None,
        timeout: float | None = None) -> Outcome:
    import time

    with tempfile.TemporaryDirectory(prefix="grader-") as tmp:
        report = Path(tmp) / "report.json"
        cmd = [sys.executable, "-m", "pytest", *pytest_args(test_paths, report, extra)]
        child_env = clean_env(env)
        start = time.perf_counter()
        try:
            proc = subprocess.run(cmd, cwd=paths.root(), env=child_env, capture_output=True, text=True,
                                  timeout=timeout, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired as e:
            out = (e.stdout or b"").decode(errors="replace") if isinstance(e.stdout, bytes) else (e.stdout or "")
            return died(-1, report, out, f"the tests did not finish within {timeout:.0f} s", time.perf_counter() - start)
        wall = time.perf_counter() - start
        output = proc.stdout + proc.stderr
        if not report.exists():
            return died(proc.returncode, report, output, describe_death(proc.returncode), wall)
        return from_report(proc.returncode, json.loads(report.read_text(encoding="utf-8")), output, wall)
