"""ret-05-2: a state-graph agent orchestrator with a tool registry. Edit this file; `grader check ret-05-2` tests it."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

END = "END"
CallTool = Callable[..., Any]                       # call_tool(tool_name, **kwargs) -> result
Node = Callable[[dict, CallTool], dict]             # node(state, call_tool) -> update merged into the state
Edge = str | Callable[[dict], str]                  # the next node's name (or END), fixed or from the state


class _ToolFailed(Exception):
    pass


def run_graph(nodes: dict[str, Node], edges: dict[str, Edge], entry: str, state: dict,
              tools: dict[str, Callable[..., Any]], max_steps: int = 20, max_retries: int = 1) -> dict:
    if entry not in nodes or max_steps < 1 or max_retries < 0:
        raise ValueError("entry must be a node, max_steps >= 1 and max_retries >= 0")
    trace: list[dict] = []
    current, steps = entry, 0
    state = dict(state)
    while current != END:
        if steps >= max_steps:
            return {"state": state, "status": "max_steps", "steps": steps, "trace": trace}

        def call_tool(tool: str, node: str = current, **kwargs: Any) -> Any:
            if tool not in tools:
                raise _ToolFailed(f"node {node!r}: unknown tool {tool!r}")
            for attempt in range(1, max_retries + 2):
                try:
                    result = tools[tool](**kwargs)
                except Exception as exc:  # noqa: BLE001 - any tool failure is retried
                    trace.append({"type": "tool", "node": node, "tool": tool, "args": kwargs,
                                  "attempt": attempt, "ok": False, "error": repr(exc)})
                    continue
                trace.append({"type": "tool", "node": node, "tool": tool, "args": kwargs,
                              "attempt": attempt, "ok": True, "result": result})
                return result
            raise _ToolFailed(f"node {node!r}: tool {tool!r} failed")

        try:
            update = nodes[current](state, call_tool)
        except _ToolFailed as failure:
            return {"state": state, "status": "error", "steps": steps, "trace": trace, "reason": str(failure)}
        state = {**state, **update}
        trace.append({"type": "node", "node": current, "update": update})
        steps += 1
        edge = edges[current]
        current = edge if isinstance(edge, str) else edge(state)
    return {"state": state, "status": "done", "steps": steps, "trace": trace}


class _Recorded(Exception):
    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text

    def __repr__(self) -> str:
        return self.text


def replay(nodes: dict[str, Node], edges: dict[str, Edge], entry: str, state: dict, trace: list,
           tool_names: list[str], max_steps: int = 20, max_retries: int = 1) -> dict:
    remaining = iter([e for e in trace if e["type"] == "tool"])
    diverged: list[str] = []

    def stand_in(name: str) -> Callable[..., Any]:
        def play(**kwargs: Any) -> Any:
            # run_graph retries whatever a tool raises, so a divergence is noted here and raised after the run
            record = next(remaining, None)
            if record is None or record["tool"] != name or record["args"] != kwargs:
                diverged.append(f"replay asked for {name}({kwargs}), the trace has {record}")
                raise _Recorded("diverged")
            if record["ok"]:
                return record["result"]
            raise _Recorded(record["error"])
        return play

    tools = {name: stand_in(name) for name in tool_names}
    out = run_graph(nodes, edges, entry, state, tools, max_steps=max_steps, max_retries=max_retries)
    if diverged:
        raise ValueError("; ".join(diverged))
    return out
