"""Reference solution for nlp-26-3."""
from __future__ import annotations

from collections.abc import Callable, Sequence

import matplotlib.pyplot as plt
import numpy as np
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
    if beam_width < 1:
        raise ValueError(f"beam_width must be >= 1, got {beam_width}")
    nodes = [{"id": 0, "parent": None, "depth": 0, "value": float(value(root)), "status": "goal" if is_goal(root) else "kept",
              "state": root}]
    if is_goal(root):
        return nodes
    frontier = [0]
    for depth in range(1, max_depth + 1):
        children = []
        for parent in frontier:
            for child in expand(nodes[parent]["state"]):
                children.append({"id": len(nodes) + len(children), "parent": parent, "depth": depth,
                                 "value": float(value(child)), "status": "pruned", "state": child})
        if not children:
            break
        nodes.extend(children)
        goals = [c for c in children if is_goal(c["state"])]
        if goals:
            goals[0]["status"] = "goal"
            break
        order = sorted(range(len(children)), key=lambda k: -children[k]["value"])[:beam_width]
        for k in order:
            children[k]["status"] = "kept"
        frontier = [children[k]["id"] for k in order]
    return nodes


def linear_cot(root: State, expand: Callable[[State], Sequence[State]], value: Callable[[State], float],
               is_goal: Callable[[State], bool], max_depth: int) -> list[dict]:
    return search_tree(root, expand, value, is_goal, 1, max_depth)


def summarize(nodes: list[dict]) -> dict[str, int | bool]:
    return {"solved": any(n["status"] == "goal" for n in nodes),
            "thoughts": len(nodes) - 1,
            "expanded": sum(1 for n in nodes if n["status"] == "kept" and any(c["parent"] == n["id"] for c in nodes))}


def compare(instances: Sequence[tuple[tuple[int, ...], int]], beam_width: int) -> dict[str, tuple[float, float]]:
    out = {}
    for name, beam in (("cot", 1), ("tot", beam_width)):
        solved, thoughts = [], []
        for nums, target in instances:
            s = summarize(search_tree((nums, ()), expand_numbers, distance_value(target),
                                      lambda st, t=target: st[0] == (t,), beam, len(nums) - 1))
            solved.append(s["solved"])
            thoughts.append(s["thoughts"])
        out[name] = (float(np.mean(solved)), float(np.mean(thoughts)))
    return out


def plot_tree(nodes: list[dict]) -> Figure:
    fig, ax = plt.subplots(figsize=(8, 4))
    pos: dict[int, tuple[float, float]] = {}
    by_depth: dict[int, int] = {}
    for n in nodes:
        k = by_depth.get(n["depth"], 0)
        by_depth[n["depth"]] = k + 1
        pos[n["id"]] = (float(n["depth"]), float(k))
    for n in nodes:
        if n["parent"] is not None:
            (x0, y0), (x1, y1) = pos[n["parent"]], pos[n["id"]]
            ax.plot([x0, x1], [y0, y1], color="0.8", lw=0.6)
    for status, style in (("pruned", dict(color="0.6", marker="x")), ("kept", dict(color="C0", marker="o")),
                          ("goal", dict(color="C3", marker="*", s=120))):
        pts = np.array([pos[n["id"]] for n in nodes if n["status"] == status], dtype=float).reshape(-1, 2)
        ax.scatter(pts[:, 0], pts[:, 1], label=status, **style)
    ax.set_xlabel("depth")
    ax.set_ylabel("thought")
    ax.legend()
    return fig
