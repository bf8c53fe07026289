"""nlp-26-3: visualize the thought tree; compare with a linear chain of thought. Edit this file;
`grader check nlp-26-3` tests it."""
from __future__ import annotations

from collections.abc import Callable, Sequence

import matplotlib.pyplot as plt  # noqa: F401  (you will need it for plot_tree)
from matplotlib.figure import Figure

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


def search_tree(root: State, expand: Callable[[State], Sequence[State]], value: Callable[[State], float],
                is_goal: Callable[[State], bool], beam_width: int, max_depth: int) -> list[dict]:
    """The BFS of nlp-26-1, recording every thought as a dict {"id", "parent", "depth", "value", "status", "state"}.

    Node 0 is the root (parent None, depth 0, status "goal" if it is a goal, else "kept"; a goal root ends the
    search). At each depth d = 1..max_depth: expand the frontier's thoughts in frontier order, appending every
    child (ids consecutive, status "pruned" at first). If a child is a goal, mark the first such child "goal"
    and stop. Otherwise mark the beam_width highest-valued children "kept" (ties in generation order); they,
    best first, are the next frontier. Stop when nothing is generated.

    Raises:
        ValueError: if beam_width < 1.
    """
    raise NotImplementedError("search_tree: BFS that records every generated thought")


def linear_cot(root: State, expand: Callable[[State], Sequence[State]], value: Callable[[State], float],
               is_goal: Callable[[State], bool], max_depth: int) -> list[dict]:
    """A linear chain of thought: the same search keeping one thought per level."""
    raise NotImplementedError("linear_cot: beam width 1")


def summarize(nodes: list[dict]) -> dict[str, int | bool]:
    """{"solved": some node is a goal, "thoughts": nodes generated (root excluded), "expanded": nodes with children}."""
    raise NotImplementedError("summarize: count")


def compare(instances: Sequence[tuple[tuple[int, ...], int]], beam_width: int) -> dict[str, tuple[float, float]]:
    """For "cot" (beam 1) and "tot" (beam_width): (success rate, mean thoughts generated) over the instances
    (numbers, target), each searched with expand_numbers, distance_value(target), goal "only the target left",
    max_depth = len(numbers) - 1."""
    raise NotImplementedError("compare: both searches on every instance")


def plot_tree(nodes: list[dict]) -> Figure:
    """The tree on one axes (x label "depth", y label "thought"): a node is drawn at (depth, its rank among the
    nodes of that depth in id order); three scatters labelled "pruned", "kept", "goal"; one ax.plot line from
    each non-root node's parent to it, and nothing else drawn with ax.plot."""
    raise NotImplementedError("plot_tree: positions, edges, one scatter per status")
