"""nlp-26-1: breadth-first tree-of-thought search with pruning. Edit this file;
`grader check nlp-26-1` tests it."""
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
    """Tree-of-Thoughts BFS (Yao et al. 2023, Algorithm 1).

    If the root is a goal, return it (nothing expanded). Otherwise, for up to max_depth levels: expand every
    thought of the frontier (counting each in `expanded`), collecting the children in order; if any child is
    a goal, return the first one; else keep the beam_width children of highest value (all of them if
    beam_width is None; ties keep generation order) as the next frontier and append its size to
    frontier_sizes. Stop early when nothing can be expanded. solution is None if no goal was found.

    Raises:
        ValueError: if beam_width is not None and < 1.
    """
    raise NotImplementedError("bfs_search: expand the frontier, check goals, keep the best beam_width")
