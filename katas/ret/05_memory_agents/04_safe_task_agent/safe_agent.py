"""ret-05-4: a task-queue agent behind a safety wrapper. Edit this file; `grader check ret-05-4` tests it."""
from __future__ import annotations

import threading  # noqa: F401  (you will need it)
from collections import deque  # noqa: F401  (you will need it)
from collections.abc import Callable
from typing import Any

Task = dict          # {"id": str, "tool": <anything a planner produced>, "args": dict}
Planner = Callable[[Task, Any], list[Task]]


class SafetyWrapper:
    """The only way the agent reaches a tool: an allow-list, a time limit and a result check.

    tools: every registered tool by name; allowed: the names the agent may use; validators: for some
    tools, a predicate the result must satisfy; timeout: seconds a call may take.
    """

    def __init__(self, tools: dict[str, Callable[..., Any]], allowed: set[str], timeout: float = 0.5,
                 validators: dict[str, Callable[[Any], bool]] | None = None) -> None:
        raise NotImplementedError("SafetyWrapper.__init__: keep the registry, the allow-list, the limits")

    def call(self, name: Any, args: dict) -> tuple[str, Any]:
        """Run tools[name](**args) if it is safe; never raises.

        Returns (status, value):
        - ("blocked", reason) unless name is a str that is exactly one of the allowed names and a
          registered tool (no normalization: "Search", "search ", "search\\x00" are other names); the
          tool is not called;
        - ("error", repr(exception)) if the tool raised;
        - ("timeout", reason) if it did not return within timeout seconds (it runs in a daemon thread
          that is abandoned);
        - ("invalid", reason) if the tool has a validator and the result fails it (or the validator raises);
        - ("ok", result) otherwise.
        """
        raise NotImplementedError("SafetyWrapper.call: check the name, run with a time limit, validate")


def run_agent(tasks: list[Task], wrapper: SafetyWrapper, planner: Planner, max_iterations: int = 20) -> dict:
    """A BabyAGI-style loop: take the first task of the queue, execute it through the wrapper, and let
    the planner add tasks.

    Each iteration pops the oldest task, calls wrapper.call(task["tool"], task["args"]) and appends
    {"id": task["id"], "status": status, "value": value} to the log. After an "ok", planner(task, value)
    returns new tasks, appended to the end of the queue in order. Stops with reason
    - "done" when the queue is empty;
    - "max_iterations" when max_iterations tasks have run and tasks remain;
    - "planner_error" when the planner raises (its exception's repr in "error"; the loop ends cleanly).
    No task is ever lost: every task given or planned is in the log (executed) or in "pending" (not yet).

    Returns:
        {"log": [...], "pending": [tasks in queue order], "reason": str, "error": str (planner_error only)}

    Raises:
        ValueError: if max_iterations < 0.
    """
    raise NotImplementedError("run_agent: FIFO queue, wrapper, planner, stop conditions")
