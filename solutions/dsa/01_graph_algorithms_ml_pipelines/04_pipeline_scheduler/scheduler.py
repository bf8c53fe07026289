"""Reference solution for dsa-01-4."""
from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from concurrent.futures import ThreadPoolExecutor
from graphlib import CycleError
from typing import Any


class StepFailed(Exception):
    """A pipeline step raised; `step` names it and __cause__ is the original exception."""

    def __init__(self, step: Hashable) -> None:
        super().__init__(f"step {step!r} failed")
        self.step = step


def parallel_levels(deps: dict[Hashable, Iterable[Hashable]]) -> list[list[Hashable]]:
    preds = {n: set(ps) for n, ps in deps.items()}
    for ps in list(preds.values()):
        for p in ps:
            preds.setdefault(p, set())
    placed: set[Hashable] = set()
    remaining = dict(preds)
    levels: list[list[Hashable]] = []
    while remaining:
        ready = sorted((n for n, ps in remaining.items() if ps <= placed), key=repr)
        if not ready:
            raise CycleError("the dependencies contain a cycle", sorted(remaining, key=repr))
        for n in ready:
            del remaining[n]
        placed.update(ready)  # only after the round: a level never depends on itself
        levels.append(ready)
    return levels


def run_pipeline(steps: dict[Hashable, Callable[[dict[Hashable, Any]], Any]], deps: dict[Hashable, Iterable[Hashable]],
                 max_workers: int = 4) -> dict[Hashable, Any]:
    if max_workers < 1:
        raise ValueError(f"max_workers must be >= 1, got {max_workers}")
    levels = parallel_levels({**{n: () for n in steps}, **deps})
    missing = {n for level in levels for n in level} - set(steps)
    if missing:
        raise ValueError(f"no step function for {sorted(missing, key=repr)}")
    preds = {n: set(deps.get(n, ())) for n in steps}
    results: dict[Hashable, Any] = {}
    with ThreadPoolExecutor(max_workers=max_workers) as pool:
        for level in levels:
            futures = {n: pool.submit(steps[n], {p: results[p] for p in preds.get(n, ())}) for n in level}
            failed = None
            for n in level:
                try:
                    results[n] = futures[n].result()
                except Exception as e:  # re-raised below, with the step's name
                    if failed is None:
                        failed = (n, e)
            if failed is not None:
                raise StepFailed(failed[0]) from failed[1]
    return results
