"""A warm test runner: heavy modules imported once, each check run in a fresh forked child.

Importing torch costs about 1.5 s and starting pytest about 1 s here; a process that has paid for
both forks a child per check, so a check costs little more than the tests themselves. The child
gets a copy of the warm process and nothing leaks back: learner modules are imported fresh each
time, and a crash or hang in learner code kills only the child.
"""
from __future__ import annotations

import json
import os
import signal
import sys
import tempfile
import time
from pathlib import Path

from grader.discovery import paths
from grader.discovery.catalog import Kata
from grader.running.runner import Outcome, clean_env, describe_death, died, from_report, pytest_args


def imported_modules(kata: Kata) -> list[str]:
    """Modules the kata's tests and stub import at top level (`sklearn.metrics`, `torch`, ...)."""
    import ast

    names: list[str] = []
    for f in [*kata.test_files, kata.stub]:
        try:
            tree = ast.parse(f.read_text(encoding="utf-8"))
        except (OSError, SyntaxError):
            continue
        for node in tree.body:
            if isinstance(node, ast.Import):
                names += [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names.append(node.module)
    return list(dict.fromkeys(n for n in names if n != "__future__"))


def preload(kata: Kata) -> None:
    """Import what the kata's checks will need, so forked children start warm."""
    import importlib

    from grader.running import hardware

    # The environment the plugin would set, before numpy, torch or triton are imported.
    if not hardware.cuda_likely():
        os.environ.setdefault("TRITON_INTERPRET", "1")
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    # pytest and the plugin, then whatever the kata's tests import (sklearn, torch, gymnasium...).
    for name in ["numpy", "hypothesis", "pytest", "grader.running.plugin", "grader.testing", "grader.strategies",
                 *imported_modules(kata)]:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - a broken import shows up, with its message, in the check itself
            continue


def run_forked(test_paths: list[str], extra: list[str], timeout: float) -> Outcome:
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="grader-watch-") as tmp:
        report = Path(tmp) / "report.json"
        log = Path(tmp) / "output.txt"
        sys.stdout.flush()
        sys.stderr.flush()
        pid = os.fork()
        if pid == 0:  # the child: run pytest in this warm copy, then leave without cleanup
            code = 70
            try:
                fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
                os.dup2(fd, 1)
                os.dup2(fd, 2)
                os.chdir(paths.root())
                env = clean_env()
                os.environ.clear()
                os.environ.update(env)
                import pytest

                code = int(pytest.main(pytest_args(test_paths, report, extra)))
            finally:
                os._exit(code)
        crashed = None
        deadline = start + timeout
        while True:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            if time.perf_counter() > deadline:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
                crashed = f"the tests did not finish within {timeout:.0f} s"
                status = -1
                break
            time.sleep(0.005)
        output = log.read_text(errors="replace") if log.exists() else ""
        wall = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status) if status != -1 else -1
        if crashed or not report.exists():
            return died(code, report, output, crashed or describe_death(code), wall)
        return from_report(code, json.loads(report.read_text(encoding="utf-8")), output, wall)
