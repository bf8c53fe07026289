"""Plausible wrong safety wrappers and agent loops that the tests must reject."""
from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING, Any

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from safe_agent import Planner, SafetyWrapper, Task


@pitfall(replaces="SafetyWrapper.call", why="normalizes the name (strip, lower) before the allow-list check")
def normalized_names(self: SafetyWrapper, name: Any, args: dict) -> tuple[str, Any]:
    if not isinstance(name, str):
        return "blocked", "not a string"
    clean = name.strip().lower()
    if clean not in self.allowed or clean not in self.tools:
        return "blocked", "not allowed"
    try:
        return "ok", self.tools[clean](**args)
    except Exception as exc:  # noqa: BLE001
        return "error", repr(exc)


@pitfall(replaces="SafetyWrapper.call", why="checks the allow-list only: an allowed but unregistered name crashes as an error")
def allow_list_only(self: SafetyWrapper, name: Any, args: dict) -> tuple[str, Any]:
    if not isinstance(name, str) or name not in self.allowed:
        return "blocked", "not allowed"
    try:
        result = self.tools[name](**args)
    except Exception as exc:  # noqa: BLE001
        return "error", repr(exc)
    check = self.validators.get(name)
    return ("invalid", "bad") if check is not None and not check(result) else ("ok", result)


@pitfall(replaces="SafetyWrapper.call", why="a deny-list of known dangerous names instead of an allow-list")
def deny_list(self: SafetyWrapper, name: Any, args: dict) -> tuple[str, Any]:
    if name in ("shell", "delete_files"):
        return "blocked", "denied"
    try:
        result = self.tools[name](**args)
    except Exception as exc:  # noqa: BLE001
        return "error", repr(exc)
    check = self.validators.get(name)
    return ("invalid", "bad") if check is not None and not check(result) else ("ok", result)


@pitfall(replaces="SafetyWrapper.call", why="calls the tool directly, with no time limit: a hanging tool hangs the agent")
def no_timeout(self: SafetyWrapper, name: Any, args: dict) -> tuple[str, Any]:
    if not isinstance(name, str) or name not in self.allowed or name not in self.tools:
        return "blocked", "not allowed"
    try:
        result = self.tools[name](**args)
    except Exception as exc:  # noqa: BLE001
        return "error", repr(exc)
    check = self.validators.get(name)
    if check is not None:
        try:
            if not check(result):
                return "invalid", "bad"
        except Exception:  # noqa: BLE001
            return "invalid", "validator raised"
    return "ok", result


@pitfall(replaces="run_agent", why="pops the newest task (a stack), not the oldest")
def lifo(tasks: list[Task], wrapper: SafetyWrapper, planner: Planner, max_iterations: int = 20) -> dict:
    if max_iterations < 0:
        raise ValueError("max_iterations")
    queue, log = list(tasks), []
    while queue:
        if len(log) >= max_iterations:
            return {"log": log, "pending": queue, "reason": "max_iterations"}
        task = queue.pop()
        status, value = wrapper.call(task["tool"], task["args"])
        log.append({"id": task["id"], "status": status, "value": value})
        if status == "ok":
            queue.extend(planner(task, value))
    return {"log": log, "pending": [], "reason": "done"}


@pitfall(replaces="run_agent", why="a planner crash ends the loop but drops the queued tasks")
def loses_tasks_on_crash(tasks: list[Task], wrapper: SafetyWrapper, planner: Planner, max_iterations: int = 20) -> dict:
    if max_iterations < 0:
        raise ValueError("max_iterations")
    queue, log = deque(tasks), []
    while queue:
        if len(log) >= max_iterations:
            return {"log": log, "pending": list(queue), "reason": "max_iterations"}
        task = queue.popleft()
        status, value = wrapper.call(task["tool"], task["args"])
        log.append({"id": task["id"], "status": status, "value": value})
        if status == "ok":
            try:
                queue.extend(planner(task, value))
            except Exception as exc:  # noqa: BLE001
                return {"log": log, "pending": [], "reason": "planner_error", "error": repr(exc)}
    return {"log": log, "pending": [], "reason": "done"}


@pitfall(replaces="run_agent", why="asks the planner for follow-ups after failed and blocked tasks too")
def plans_after_failures(tasks: list[Task], wrapper: SafetyWrapper, planner: Planner, max_iterations: int = 20) -> dict:
    if max_iterations < 0:
        raise ValueError("max_iterations")
    queue, log = deque(tasks), []
    while queue:
        if len(log) >= max_iterations:
            return {"log": log, "pending": list(queue), "reason": "max_iterations"}
        task = queue.popleft()
        status, value = wrapper.call(task["tool"], task["args"])
        log.append({"id": task["id"], "status": status, "value": value})
        try:
            queue.extend(planner(task, value))
        except Exception as exc:  # noqa: BLE001
            return {"log": log, "pending": list(queue), "reason": "planner_error", "error": repr(exc)}
    return {"log": log, "pending": [], "reason": "done"}
