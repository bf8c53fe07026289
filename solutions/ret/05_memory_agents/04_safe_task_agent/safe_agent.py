"""ret-05-4: a task-queue agent behind a safety wrapper. Edit this file; `grader check ret-05-4` tests it."""
from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from typing import Any

Task = dict          # {"id": str, "tool": <anything a planner produced>, "args": dict}
Planner = Callable[[Task, Any], list[Task]]


class SafetyWrapper:
    def __init__(self, tools: dict[str, Callable[..., Any]], allowed: set[str], timeout: float = 0.5,
                 validators: dict[str, Callable[[Any], bool]] | None = None) -> None:
        self.tools = dict(tools)
        self.allowed = set(allowed)
        self.timeout = timeout
        self.validators = dict(validators or {})

    def call(self, name: Any, args: dict) -> tuple[str, Any]:
        if not isinstance(name, str) or name not in self.allowed or name not in self.tools:
            return "blocked", f"tool {name!r} is not allowed"
        outcome: dict[str, Any] = {}

        def target() -> None:
            try:
                outcome["result"] = self.tools[name](**args)
            except Exception as exc:  # noqa: BLE001 - every tool failure is reported, never raised
                outcome["error"] = repr(exc)

        worker = threading.Thread(target=target, daemon=True)
        worker.start()
        worker.join(self.timeout)
        if worker.is_alive():
            return "timeout", f"tool {name!r} did not return within {self.timeout} s"
        if "error" in outcome:
            return "error", outcome["error"]
        result = outcome["result"]
        check = self.validators.get(name)
        if check is not None:
            try:
                valid = bool(check(result))
            except Exception as exc:  # noqa: BLE001
                return "invalid", f"validator of {name!r} raised {exc!r}"
            if not valid:
                return "invalid", f"tool {name!r} returned {result!r}, which fails its validator"
        return "ok", result


def run_agent(tasks: list[Task], wrapper: SafetyWrapper, planner: Planner, max_iterations: int = 20) -> dict:
    if max_iterations < 0:
        raise ValueError(f"max_iterations must be >= 0, got {max_iterations}")
    queue = deque(tasks)
    log: list[dict] = []
    while queue:
        if len(log) >= max_iterations:
            return {"log": log, "pending": list(queue), "reason": "max_iterations"}
        task = queue.popleft()
        status, value = wrapper.call(task["tool"], task["args"])
        log.append({"id": task["id"], "status": status, "value": value})
        if status == "ok":
            try:
                new = list(planner(task, value))
            except Exception as exc:  # noqa: BLE001 - a broken planner ends the loop cleanly
                return {"log": log, "pending": list(queue), "reason": "planner_error", "error": repr(exc)}
            queue.extend(new)
    return {"log": log, "pending": [], "reason": "done"}
