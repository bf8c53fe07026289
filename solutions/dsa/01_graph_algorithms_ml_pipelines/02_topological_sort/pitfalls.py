"""Plausible wrong topological sorts and cycle finders that the tests must reject."""
from __future__ import annotations

from collections.abc import Hashable, Iterable
from graphlib import CycleError
from typing import TYPE_CHECKING

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from toposort import find_cycle, topological_sort

_sort, _cycle = topological_sort, find_cycle


@pitfall(replaces="topological_sort", why="the reverse order: dependents before their prerequisites")
def reversed_order(deps: dict[Hashable, Iterable[Hashable]]) -> list[Hashable]:
    return _sort(deps)[::-1]


@pitfall(replaces="topological_sort", why="only sorts the dict's keys: nodes that are only prerequisites go missing")
def keys_only(deps: dict[Hashable, Iterable[Hashable]]) -> list[Hashable]:
    return [n for n in _sort(deps) if n in deps]


@pitfall(replaces="topological_sort", why="no cycle check: returns the partial order Kahn's algorithm managed")
def silent_on_cycles(deps: dict[Hashable, Iterable[Hashable]]) -> list[Hashable]:
    try:
        return _sort(deps)
    except CycleError:
        return [n for n in deps if not set(deps[n])]


@pitfall(replaces="find_cycle", why="returns the cycle in the opposite direction (each node a dependent of the next)")
def cycle_reversed(deps: dict[Hashable, Iterable[Hashable]]) -> list[Hashable] | None:
    c = _cycle(deps)
    return None if c is None else c[::-1]


@pitfall(replaces="find_cycle", why="forgets to close the cycle: the first node is not repeated at the end")
def cycle_open(deps: dict[Hashable, Iterable[Hashable]]) -> list[Hashable] | None:
    c = _cycle(deps)
    return None if c is None else c[:-1]
