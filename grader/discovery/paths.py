"""Where the workbook lives on disk.

The grader is installed editable from the workbook checkout, so the checkout is the package's
parent. `GRADER_ROOT` points it at another copy (the workbook's own tests use throwaway copies) and
`GRADER_PROGRESS` at another progress file, so maintainers never record into the learner's file.
"""
from __future__ import annotations

import os
from functools import cache
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent  # the grader package


@cache
def _resolved(path: str) -> Path:
    return Path(path).resolve()  # resolve() touches the file system: once per path, not per call


def root() -> Path:
    env = os.environ.get("GRADER_ROOT")
    return _resolved(env) if env else PACKAGE.parent


def katas_dir() -> Path:
    return root() / "katas"


def solutions_dir() -> Path:
    return root() / "solutions"


def progress_file() -> Path:
    env = os.environ.get("GRADER_PROGRESS")
    return Path(env).resolve() if env else root() / "progress.toml"


def relative(path: Path) -> str:
    """A path as the learner should read it: relative to the workbook when inside it."""
    try:
        return path.resolve().relative_to(root()).as_posix()
    except ValueError:
        return str(path)
