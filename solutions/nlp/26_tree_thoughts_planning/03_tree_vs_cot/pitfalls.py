"""Plausible wrong tree recorders that the tests must reject."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from tree_vs_cot import State, search_tree


@pitfall(replaces="search_tree", why="records only the kept thoughts (pruned ones vanish from the tree)")
def kept_only(root: State, expand: Callable[[State], Sequence[State]], value: Callable[[State], float],
              is_goal: Callable[[State], bool], beam_width: int, max_depth: int) -> list[dict]:
    nodes = _full(root, expand, value, is_goal, beam_width, max_depth)
    keep = [n for n in nodes if n["status"] != "pruned"]
    remap = {n["id"]: i for i, n in enumerate(keep)}
    return [dict(n, id=remap[n["id"]], parent=None if n["parent"] is None else remap[n["parent"]]) for n in keep]


def _full(root: State, expand: Callable, value: Callable, is_goal: Callable, beam: int, depth: int) -> list[dict]:
    return search_tree(root, expand, value, is_goal, beam, depth)


@pitfall(replaces="linear_cot", why="a chain of thought that keeps two thoughts per level")
def two_chains(root: State, expand: Callable[[State], Sequence[State]], value: Callable[[State], float],
               is_goal: Callable[[State], bool], max_depth: int) -> list[dict]:
    return search_tree(root, expand, value, is_goal, 2, max_depth)


@pitfall(replaces="summarize", why="counts the root as a generated thought")
def counts_root(nodes: list[dict]) -> dict[str, int | bool]:
    parents = {n["parent"] for n in nodes}
    return {"solved": any(n["status"] == "goal" for n in nodes), "thoughts": len(nodes),
            "expanded": sum(1 for n in nodes if n["id"] in parents)}


@pitfall(replaces="plot_tree", why="places nodes by id on the y axis instead of their rank within the depth")
def y_is_id(nodes: list[dict]) -> Figure:
    fig, ax = plt.subplots()
    pos = {n["id"]: (float(n["depth"]), float(n["id"])) for n in nodes}
    for n in nodes:
        if n["parent"] is not None:
            ax.plot([pos[n["parent"]][0], pos[n["id"]][0]], [pos[n["parent"]][1], pos[n["id"]][1]])
    for status in ("pruned", "kept", "goal"):
        pts = np.array([pos[n["id"]] for n in nodes if n["status"] == status], float).reshape(-1, 2)
        ax.scatter(pts[:, 0], pts[:, 1], label=status)
    ax.set_xlabel("depth")
    ax.set_ylabel("thought")
    return fig
