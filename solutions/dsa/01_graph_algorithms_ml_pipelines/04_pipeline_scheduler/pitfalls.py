"""Plausible wrong schedulers that the tests must reject."""
from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from scheduler import StepFailed, parallel_levels


@pitfall(replaces="parallel_levels", why="level = the number of direct prerequisites, not the longest chain")
def levels_by_indegree(deps: dict[Hashable, Iterable[Hashable]]) -> list[list[Hashable]]:
    full = {n: list(ps) for n, ps in deps.items()}
    for ps in list(full.values()):
        for p in ps:
            full.setdefault(p, [])
    parallel_levels(deps)  # still raises on cycles
    k = max((len(ps) for ps in full.values()), default=-1)
    return [sorted((n for n, ps in full.items() if len(ps) == d), key=repr) for d in range(k + 1)]


@pitfall(replaces="run_pipeline", why="runs the steps one after another: nothing is concurrent")
def run_sequentially(steps: dict[Hashable, Callable[[dict[Hashable, Any]], Any]],
                     deps: dict[Hashable, Iterable[Hashable]], max_workers: int = 4) -> dict[Hashable, Any]:
    if max_workers < 1:
        raise ValueError("max_workers")
    levels = parallel_levels({**{n: () for n in steps}, **deps})
    if {n for lv in levels for n in lv} - set(steps):
        raise ValueError("missing")
    results: dict[Hashable, Any] = {}
    for level in levels:
        for n in level:
            try:
                results[n] = steps[n]({p: results[p] for p in deps.get(n, ())})
            except Exception as e:
                raise StepFailed(n) from e
    return results


@pitfall(replaces="run_pipeline", why="submits every step at once without waiting for its prerequisites' level")
def run_all_at_once(steps: dict[Hashable, Callable[[dict[Hashable, Any]], Any]],
                    deps: dict[Hashable, Iterable[Hashable]], max_workers: int = 4) -> dict[Hashable, Any]:
    if max_workers < 1:
        raise ValueError("max_workers")
    levels = parallel_levels({**{n: () for n in steps}, **deps})
    if {n for lv in levels for n in lv} - set(steps):
        raise ValueError("missing")
    results: dict[Hashable, Any] = {}
    with ThreadPoolExecutor(max_workers=max_workers) as pool:
        futures = {n: pool.submit(steps[n], {p: results.get(p) for p in deps.get(n, ())}) for lv in levels for n in lv}
        for n, f in futures.items():
            try:
                results[n] = f.result()
            except Exception as e:
                raise StepFailed(n) from e
    return results


@pitfall(replaces="run_pipeline", why="ignores max_workers: one thread per step of the level")
def run_unbounded(steps: dict[Hashable, Callable[[dict[Hashable, Any]], Any]],
                  deps: dict[Hashable, Iterable[Hashable]], max_workers: int = 4) -> dict[Hashable, Any]:
    if max_workers < 1:
        raise ValueError("max_workers")
    levels = parallel_levels({**{n: () for n in steps}, **deps})
    if {n for lv in levels for n in lv} - set(steps):
        raise ValueError("missing")
    results: dict[Hashable, Any] = {}
    for level in levels:
        with ThreadPoolExecutor(max_workers=len(level)) as pool:
            futures = {n: pool.submit(steps[n], {p: results[p] for p in deps.get(n, ())}) for n in level}
        for n in level:
            try:
                results[n] = futures[n].result()
            except Exception as e:
                raise StepFailed(n) from e
    return results
