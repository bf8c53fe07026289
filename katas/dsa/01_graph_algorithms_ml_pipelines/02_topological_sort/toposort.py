"""dsa-01-2: topological sort with cycle detection. Edit this file; `grader check dsa-01-2` tests it."""
from __future__ import annotations

from collections import deque  # noqa: F401  (Kahn's algorithm keeps a queue of ready nodes)
from collections.abc import Hashable, Iterable
from graphlib import CycleError  # noqa: F401  (raise this one: it is a ValueError)


def topological_sort(deps: dict[Hashable, Iterable[Hashable]]) -> list[Hashable]:
    """An execution order for a dependency graph: every node after all of its prerequisites.

    deps maps a node to its prerequisites (graphlib.TopologicalSorter's convention); a node that only
    appears as a prerequisite is a node too. Every node appears exactly once; any valid order is fine.
    deps is left unchanged.

    Raises:
        graphlib.CycleError: if the dependencies contain a cycle (then no order exists); its
            args[1] is a cycle as find_cycle returns it.
    """
    raise NotImplementedError("topological_sort: Kahn's algorithm, or a depth-first search")


def find_cycle(deps: dict[Hashable, Iterable[Hashable]]) -> list[Hashable] | None:
    """A dependency cycle, or None if there is none.

    Returned in graphlib's format: a list [x0, x1, ..., xk] with xk == x0 in which every x_i is a
    prerequisite of x_{i+1} (a self-dependency a -> a gives [a, a]).
    """
    raise NotImplementedError("find_cycle: depth-first search, a grey node reached again closes a cycle")
