"""Reference solution for dsa-01-2."""
from __future__ import annotations

from collections import deque
from collections.abc import Hashable, Iterable
from graphlib import CycleError


def topological_sort(deps: dict[Hashable, Iterable[Hashable]]) -> list[Hashable]:
    preds = {node: set(ps) for node, ps in deps.items()}
    for ps in list(preds.values()):
        for p in ps:
            preds.setdefault(p, set())
    succ: dict[Hashable, list[Hashable]] = {n: [] for n in preds}
    for node, ps in preds.items():
        for p in ps:
            succ[p].append(node)
    indegree = {n: len(ps) for n, ps in preds.items()}
    ready = deque(n for n, d in indegree.items() if d == 0)
    order = []
    while ready:
        n = ready.popleft()
        order.append(n)
        for m in succ[n]:
            indegree[m] -= 1
            if indegree[m] == 0:
                ready.append(m)
    if len(order) < len(preds):
        cycle = find_cycle(deps)
        raise CycleError("nodes are in a cycle", cycle)
    return order


def find_cycle(deps: dict[Hashable, Iterable[Hashable]]) -> list[Hashable] | None:
    preds = {node: list(ps) for node, ps in deps.items()}
    WHITE, GREY, BLACK = 0, 1, 2
    color: dict[Hashable, int] = {}
    for start in list(preds):
        if color.get(start, WHITE) != WHITE:
            continue
        stack = [(start, iter(preds.get(start, ())))]
        path = [start]
        color[start] = GREY
        while stack:
            node, it = stack[-1]
            nxt = next(it, None)
            if nxt is None:
                color[node] = BLACK
                stack.pop()
                path.pop()
                continue
            c = color.get(nxt, WHITE)
            if c == GREY:
                return (path[path.index(nxt):] + [nxt])[::-1]  # graphlib's order: each a prerequisite of the next
            if c == WHITE:
                color[nxt] = GREY
                stack.append((nxt, iter(preds.get(nxt, ()))))
                path.append(nxt)
    return None
