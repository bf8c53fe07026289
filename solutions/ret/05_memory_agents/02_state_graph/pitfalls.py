"""Plausible wrong orchestrators that the tests must reject."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from state_graph import END, Edge, Node, _Recorded, _ToolFailed, run_graph


def _run(nodes: dict, edges: dict, entry: str, state: dict, tools: dict, max_steps: int, max_retries: int,
         in_place: bool = False, attempts_extra: int = 1, old_state_edges: bool = False, node_first: bool = False) -> dict:
    if entry not in nodes or max_steps < 1 or max_retries < 0:
        raise ValueError("bad arguments")
    trace: list[dict] = []
    current, steps = entry, 0
    if not in_place:
        state = dict(state)
    while current != END:
        if steps >= max_steps:
            return {"state": state, "status": "max_steps", "steps": steps, "trace": trace}
        tool_entries: list[dict] = []

        def call_tool(tool: str, node: str = current, entries: list = tool_entries, **kwargs: Any) -> Any:
            if tool not in tools:
                raise _ToolFailed(f"node {node!r}: unknown tool {tool!r}")
            for attempt in range(1, max_retries + 1 + attempts_extra):
                try:
                    result = tools[tool](**kwargs)
                except Exception as exc:  # noqa: BLE001
                    entries.append({"type": "tool", "node": node, "tool": tool, "args": kwargs,
                                    "attempt": attempt, "ok": False, "error": repr(exc)})
                    continue
                entries.append({"type": "tool", "node": node, "tool": tool, "args": kwargs,
                                "attempt": attempt, "ok": True, "result": result})
                return result
            raise _ToolFailed(f"node {node!r}: tool {tool!r} failed")

        try:
            update = nodes[current](state, call_tool)
        except _ToolFailed as failure:
            trace.extend(tool_entries)
            return {"state": state, "status": "error", "steps": steps, "trace": trace, "reason": str(failure)}
        old = dict(state)
        if in_place:
            state.update(update)
        else:
            state = {**state, **update}
        entry_ = {"type": "node", "node": current, "update": update}
        trace.extend([entry_, *tool_entries] if node_first else [*tool_entries, entry_])
        steps += 1
        edge = edges[current]
        current = edge if isinstance(edge, str) else edge(old if old_state_edges else state)
    return {"state": state, "status": "done", "steps": steps, "trace": trace}


@pitfall(replaces="run_graph", why="merges each update into the caller's state dict in place")
def in_place_state(nodes: dict[str, Node], edges: dict[str, Edge], entry: str, state: dict,
                   tools: dict[str, Callable[..., Any]], max_steps: int = 20, max_retries: int = 1) -> dict:
    return _run(nodes, edges, entry, state, tools, max_steps, max_retries, in_place=True)


@pitfall(replaces="run_graph", why="max_retries counts all attempts, not the retries after the first")
def retries_off_by_one(nodes: dict[str, Node], edges: dict[str, Edge], entry: str, state: dict,
                       tools: dict[str, Callable[..., Any]], max_steps: int = 20, max_retries: int = 1) -> dict:
    return _run(nodes, edges, entry, state, tools, max_steps, max_retries, attempts_extra=0)


@pitfall(replaces="run_graph", why="routes on the state from before the node's update")
def stale_routing(nodes: dict[str, Node], edges: dict[str, Edge], entry: str, state: dict,
                  tools: dict[str, Callable[..., Any]], max_steps: int = 20, max_retries: int = 1) -> dict:
    return _run(nodes, edges, entry, state, tools, max_steps, max_retries, old_state_edges=True)


@pitfall(replaces="run_graph", why="logs the node before the tool calls it made: the trace cannot be replayed in order")
def node_before_tools(nodes: dict[str, Node], edges: dict[str, Edge], entry: str, state: dict,
                      tools: dict[str, Callable[..., Any]], max_steps: int = 20, max_retries: int = 1) -> dict:
    return _run(nodes, edges, entry, state, tools, max_steps, max_retries, node_first=True)


@pitfall(replaces="replay", why="plays back results by tool name only, never checking the arguments")
def names_only(nodes: dict[str, Node], edges: dict[str, Edge], entry: str, state: dict, trace: list,
               tool_names: list[str], max_steps: int = 20, max_retries: int = 1) -> dict:
    attempts = [e for e in trace if e["type"] == "tool"]
    position, diverged = [0], []

    def stand_in(name: str) -> Callable[..., Any]:
        def play(**kwargs: Any) -> Any:
            if position[0] >= len(attempts) or attempts[position[0]]["tool"] != name:
                diverged.append(name)
                raise _Recorded("diverged")
            record = attempts[position[0]]
            position[0] += 1
            if record["ok"]:
                return record["result"]
            raise _Recorded(record["error"])
        return play

    out = run_graph(nodes, edges, entry, state, {n: stand_in(n) for n in tool_names},
                    max_steps=max_steps, max_retries=max_retries)
    if diverged:
        raise ValueError("diverged")
    return out
