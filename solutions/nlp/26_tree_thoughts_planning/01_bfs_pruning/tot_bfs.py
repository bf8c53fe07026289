"""Reference solution for nlp-26-1."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

State = tuple[tuple[int, ...], tuple[str, ...]]     # (remaining numbers, steps taken)


def expand_numbers(state: State) -> list[State]:
    """Given: the thoughts of the "make the target" game (Game of 24 generalised): pick two numbers (i < j),
    replace them with a + b, a - b, b - a or a * b (in that order); each child records the step as text."""
    nums, steps = state
    out = []
    for i in range(len(nums)):
        for j in range(i + 1, len(nums)):
            a, b = nums[i], nums[j]
            rest = tuple(n for k, n in enumerate(nums) if k not in (i, j))
            for value, text in ((a + b, f"{a} + {b} = {a + b}"), (a - b, f"{a} - {b} = {a - b}"),
                                (b - a, f"{b} - {a} = {b - a}"), (a * b, f"{a} * {b} = {a * b}")):
                out.append((tuple(sorted(rest + (value,))), steps + (text,)))
    return out


def distance_value(target: int) -> Callable[[State], float]:
    """Given: a value heuristic, minus the distance of the closest remaining number to the target."""
    return lambda state: -min(abs(n - target) for n in state[0])


@dataclass
class SearchResult:
    solution: State | None
    frontier_sizes: list[int] = field(default_factory=list)
    expanded: int = 0


def bfs_search(root: State, expand: Callable[[State], Sequence[State]], value: Callable[[State], float],
               is_goal: Callable[[State], bool], beam_width: int | None, max_depth: int) -> SearchResult:
    if beam_width is not None and beam_width < 1:
        raise ValueError(f"beam_width must be >= 1 or None, got {beam_width}")
    result = SearchResult(None)
    frontier = [root]
    if is_goal(root):
        result.solution = root
        return result
    for _ in range(max_depth):
        children = []
        for state in frontier:
            result.expanded += 1
            children.extend(expand(state))
        if not children:
            break
        goals = [c for c in children if is_goal(c)]
        if goals:
            result.solution = goals[0]
            return result
        order = sorted(range(len(children)), key=lambda k: -value(children[k]))
        frontier = [children[k] for k in (order if beam_width is None else order[:beam_width])]
        result.frontier_sizes.append(len(frontier))
    return result
