"""Plausible wrong agent loops that the tests must reject."""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from agent_loop import format_transcript, parse_step


@pitfall(replaces="run_agent", why="feeds the policy only the question, never the observations")
def amnesiac(policy: Callable[[str], str], tools: dict[str, Callable[[str], str]], question: str,
             max_steps: int) -> tuple[str | None, list[dict[str, str]]]:
    if max_steps < 1:
        raise ValueError("max_steps")
    traj: list[dict[str, str]] = []
    for _ in range(max_steps):
        parsed = parse_step(policy(format_transcript(question, [])))
        if parsed is None:
            traj.append({"thought": "", "action": "invalid", "arg": "", "observation": "Error: no action"})
            continue
        thought, action, arg = parsed
        if action == "finish":
            return arg, traj
        try:
            obs = str(tools[action](arg)) if action in tools else f"Error: unknown tool {action}"
        except Exception as err:  # noqa: BLE001
            obs = f"Error: {err}"
        traj.append({"thought": thought, "action": action, "arg": arg, "observation": obs})
    return None, traj


@pitfall(replaces="run_agent", why="lets a tool's exception crash the loop instead of observing it")
def crashes_on_tool_error(policy: Callable[[str], str], tools: dict[str, Callable[[str], str]], question: str,
                          max_steps: int) -> tuple[str | None, list[dict[str, str]]]:
    if max_steps < 1:
        raise ValueError("max_steps")
    traj: list[dict[str, str]] = []
    for _ in range(max_steps):
        parsed = parse_step(policy(format_transcript(question, traj)))
        if parsed is None:
            traj.append({"thought": "", "action": "invalid", "arg": "", "observation": "Error: no action"})
            continue
        thought, action, arg = parsed
        if action == "finish":
            return arg, traj
        obs = str(tools[action](arg)) if action in tools else f"Error: unknown tool {action}"
        traj.append({"thought": thought, "action": action, "arg": arg, "observation": obs})
    return None, traj


@pitfall(replaces="run_agent", why="the step limit counts only tool calls (the final-answer turn is free): one "
         "turn too many")
def limit_off_by_one(policy: Callable[[str], str], tools: dict[str, Callable[[str], str]], question: str,
                     max_steps: int) -> tuple[str | None, list[dict[str, str]]]:
    if max_steps < 1:
        raise ValueError("max_steps")
    traj: list[dict[str, str]] = []
    for _ in range(max_steps + 1):
        parsed = parse_step(policy(format_transcript(question, traj)))
        if parsed is None:
            traj.append({"thought": "", "action": "invalid", "arg": "", "observation": "Error: no action"})
            continue
        thought, action, arg = parsed
        if action == "finish":
            return arg, traj
        if len(traj) == max_steps:
            break
        try:
            obs = str(tools[action](arg)) if action in tools else f"Error: unknown tool {action}"
        except Exception as err:  # noqa: BLE001
            obs = f"Error: {err}"
        traj.append({"thought": thought, "action": action, "arg": arg, "observation": obs})
    return None, traj


@pitfall(replaces="parse_step", why="takes the action even when a final answer comes first")
def action_first(text: str) -> tuple[str, str, str] | None:
    thought = re.search(r"^Thought:[ \t]*(.*?)[ \t]*$", text, re.MULTILINE)
    t = thought.group(1) if thought else ""
    action = re.search(r"^Action:[ \t]*(\w+)\[(.*)\][ \t]*$", text, re.MULTILINE)
    if action:
        return t, action.group(1), action.group(2)
    final = re.search(r"^Final Answer:[ \t]*(.*?)[ \t]*$", text, re.MULTILINE)
    return (t, "finish", final.group(1)) if final else None
