"""dsa-01-4: a parallel pipeline scheduler. Edit this file; `grader check dsa-01-4` tests it."""
from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from concurrent.futures import ThreadPoolExecutor  # noqa: F401  (run each level's steps in a thread pool)
from graphlib import CycleError  # noqa: F401
from typing import Any


class StepFailed(Exception):
    """A pipeline step raised; `step` names it and __cause__ is the original exception."""

    def __init__(self, step: Hashable) -> None:
        super().__init__(f"step {step!r} failed")
        self.step = step


def parallel_levels(deps: dict[Hashable, Iterable[Hashable]]) -> list[list[Hashable]]:
    """Group the steps into levels that can run in parallel.

    deps maps a step to its prerequisites (nodes that only appear as prerequisites are steps too).
    Level k holds the steps whose longest chain of prerequisites has k edges: level 0 has no
    prerequisites, and every step's prerequisites sit in earlier levels. Each level is sorted by
    repr(). deps is left unchanged.

    Raises:
        graphlib.CycleError: if the dependencies contain a cycle.
    """
    raise NotImplementedError("parallel_levels: peel off the steps whose prerequisites are all placed")


def run_pipeline(steps: dict[Hashable, Callable[[dict[Hashable, Any]], Any]], deps: dict[Hashable, Iterable[Hashable]],
                 max_workers: int = 4) -> dict[Hashable, Any]:
    """Run every step, level by level (parallel_levels of the steps and deps), each level's steps
    concurrently in a ThreadPoolExecutor(max_workers).

    A step is called as steps[name](inputs) with inputs = {prerequisite: its result}. Returns
    {name: result} for every step. If steps of a level raise, wait for the rest of that level, then
    raise StepFailed(first failing step in the level's order) from its exception; no step of a later
    level is ever started.

    Raises:
        ValueError: if max_workers < 1 or a step named in deps has no function.
        graphlib.CycleError: if the dependencies contain a cycle.
        StepFailed: as above.
    """
    raise NotImplementedError("run_pipeline: submit a level, wait for it, stop on the first failure")
