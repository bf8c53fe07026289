"""Plausible wrong tree searches that the tests must reject."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from tot_bfs import SearchResult, State


def _bfs(root: State, expand: Callable, value: Callable, is_goal: Callable, beam: int | None, depth: int,
         prune_first: bool = False, ascending: bool = False) -> SearchResult:
    if beam is not None and beam < 1:
        raise ValueError("beam")
    res = SearchResult(None)
    if is_goal(root):
        res.solution = root
        return res
    frontier = [root]
    for _ in range(depth):
        children = []
        for s in frontier:
            res.expanded += 1
            children.extend(expand(s))
        if not children:
            break
        sign = 1 if ascending else -1
        order = sorted(range(len(children)), key=lambda k: sign * value(children[k]))
        kept = [children[k] for k in (order if beam is None else order[:beam])]
        pool = kept if prune_first else children
        goals = [c for c in pool if is_goal(c)]
        if goals:
            res.solution = goals[0]
            return res
        frontier = kept
        res.frontier_sizes.append(len(frontier))
    return res


@pitfall(replaces="bfs_search", why="prunes before checking for goals (a goal with a poor heuristic value is lost)")
def prune_then_check(root: State, expand: Callable[[State], Sequence[State]], value: Callable[[State], float],
                     is_goal: Callable[[State], bool], beam_width: int | None, max_depth: int) -> SearchResult:
    return _bfs(root, expand, value, is_goal, beam_width, max_depth, prune_first=True)


@pitfall(replaces="bfs_search", why="keeps the lowest-valued children (sort order reversed)")
def keeps_worst(root: State, expand: Callable[[State], Sequence[State]], value: Callable[[State], float],
                is_goal: Callable[[State], bool], beam_width: int | None, max_depth: int) -> SearchResult:
    return _bfs(root, expand, value, is_goal, beam_width, max_depth, ascending=True)


@pitfall(replaces="bfs_search", why="depth-first: expands only the best child of each level (beam 1 regardless)")
def greedy_only(root: State, expand: Callable[[State], Sequence[State]], value: Callable[[State], float],
                is_goal: Callable[[State], bool], beam_width: int | None, max_depth: int) -> SearchResult:
    if beam_width is not None and beam_width < 1:
        raise ValueError("beam")
    return _bfs(root, expand, value, is_goal, 1, max_depth)


@pitfall(replaces="bfs_search", why="does not check the root: a root that is already a goal is expanded anyway")
def root_unchecked(root: State, expand: Callable[[State], Sequence[State]], value: Callable[[State], float],
                   is_goal: Callable[[State], bool], beam_width: int | None, max_depth: int) -> SearchResult:
    return _bfs(root, expand, value, lambda s: s is not root and is_goal(s), beam_width, max_depth)
