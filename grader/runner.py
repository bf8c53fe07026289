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

from grader import paths

# Plugins a kata run never needs: anyio's (installed with Jupyter) costs ~0.5 s to import, and the
# unraisable/thread-exception plugins end each session with two full garbage collections.
LEAN = ["-p", "no:anyio", "-p", "no:unraisableexception", "-p", "no:threadexception", "-p", "no:cacheprovider"]


def pytest_args(test_paths: list[str], report: Path, extra: list[str]) -> list[str]:
    """pytest's arguments for a grader run, in a child process or a forked warm one."""
    return [*test_paths, "-q", "--no-header", *LEAN, "--grader-report", str(report), *extra]


@dataclass
class Outcome:
    returncode: int
    tests: list[dict] = field(default_factory=list)
    collect_errors: dict[str, str] = field(default_factory=dict)
    output: str = ""
    crashed: str | None = None  # why the child died without a report, if it did
    wall: float = 0.0


def describe_death(returncode: int) -> str:
    if returncode < 0:
        try:
            name = signal.Signals(-returncode).name
        except ValueError:
            name = f"signal {-returncode}"
        return f"the test process was killed by {name}" + (" (a segmentation fault in your code?)" if name == "SIGSEGV" else "")
    return f"the test process exited with status {returncode} before reporting (sys.exit or os._exit in your code?)"


def run(test_paths: list[str], extra: list[str], *, env: dict[str, str] | None = None,
        timeout: float | None = None) -> Outcome:
    import time

    with tempfile.TemporaryDirectory(prefix="grader-") as tmp:
        report = Path(tmp) / "report.json"
        cmd = [sys.executable, "-m", "pytest", *pytest_args(test_paths, report, extra)]
        child_env = {**os.environ, **(env or {}), "PYTHONDONTWRITEBYTECODE": "1"}
        start = time.perf_counter()
        try:
            proc = subprocess.run(cmd, cwd=paths.root(), env=child_env, capture_output=True, text=True,
                                  timeout=timeout, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired as e:
            out = (e.stdout or b"").decode(errors="replace") if isinstance(e.stdout, bytes) else (e.stdout or "")
            return Outcome(-1, output=out, crashed=f"the tests did not finish within {timeout:.0f} s",
                           wall=time.perf_counter() - start)
        wall = time.perf_counter() - start
        output = proc.stdout + proc.stderr
        if not report.exists():
            return Outcome(proc.returncode, output=output, crashed=describe_death(proc.returncode), wall=wall)
        data = json.loads(report.read_text(encoding="utf-8"))
        return Outcome(proc.returncode, data["tests"], data["collect_errors"], output, None, wall)
