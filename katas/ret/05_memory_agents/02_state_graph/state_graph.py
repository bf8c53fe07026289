"""ret-05-2: a state-graph agent orchestrator with a tool registry. Edit this file; `grader check ret-05-2` tests it."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

END = "END"
CallTool = Callable[..., Any]                       # call_tool(tool_name, **kwargs) -> result
Node = Callable[[dict, CallTool], dict]             # node(state, call_tool) -> update merged into the state
Edge = str | Callable[[dict], str]                  # the next node's name (or END), fixed or from the state


def run_graph(nodes: dict[str, Node], edges: dict[str, Edge], entry: str, state: dict,
              tools: dict[str, Callable[..., Any]], max_steps: int = 20, max_retries: int = 1) -> dict:
    """Run a state graph from `entry` until END, a failed tool, or max_steps node executions.

    One step: run nodes[current](state, call_tool); the new state is {**state, **update} (the caller's
    dict is never modified); append {"type": "node", "node": name, "update": update} to the trace; the
    next node is edges[name] if it is a string, else edges[name](new state). Reaching END finishes
    ("done"). Before a step, if max_steps steps have run, stop ("max_steps").

    call_tool(tool, **kwargs) calls tools[tool](**kwargs), retrying after an exception up to
    max_retries more times. Each attempt appends (before its node's entry) {"type": "tool", "node",
    "tool", "args": kwargs, "attempt": 1, 2, ..., "ok": bool, and "result" when ok or "error":
    repr(exception) when not}. When every attempt fails, the run stops: status "error", the state as
    it was before that node, reason f"node {node!r}: tool {tool!r} failed". A tool missing from tools
    stops the run the same way, with no attempt traced and reason f"node {node!r}: unknown tool {tool!r}".

    Returns:
        {"state": dict, "status": "done" | "max_steps" | "error", "steps": number of nodes completed,
         "trace": list, "reason": str (only with "error")}

    Raises:
        ValueError: if entry is not a node, max_steps < 1 or max_retries < 0.
    """
    raise NotImplementedError("run_graph: loop over nodes, merge updates, follow edges, trace everything")


def replay(nodes: dict[str, Node], edges: dict[str, Edge], entry: str, state: dict, trace: list,
           tool_names: list[str], max_steps: int = 20, max_retries: int = 1) -> dict:
    """Re-run a recorded run without calling any real tool, and return exactly what it returned.

    Runs run_graph with, for each name in tool_names (the recorded run's registry), a stand-in that
    plays back the trace's tool attempts in order: the next recorded attempt must be for this tool
    with these arguments; a recorded success returns its result, a recorded failure raises an
    exception whose repr() is the recorded "error". A tool outside tool_names is unknown, as it was.
    With the run's own max_steps and max_retries, the replay reproduces the state, status, steps,
    reason and the whole trace.

    Raises:
        ValueError: if the replay asks for a call other than the next recorded attempt, or for more
            attempts than were recorded (the trace does not belong to this graph).
    """
    raise NotImplementedError("replay: run_graph with stand-in tools that play back the trace")
