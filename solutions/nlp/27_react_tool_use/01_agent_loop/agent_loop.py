"""Reference solution for nlp-27-1."""
from __future__ import annotations

import re
from collections.abc import Callable

ACTION = re.compile(r"^Action:[ \t]*(\w+)\[(.*)\][ \t]*$", re.MULTILINE)
FINAL = re.compile(r"^Final Answer:[ \t]*(.*?)[ \t]*$", re.MULTILINE)
THOUGHT = re.compile(r"^Thought:[ \t]*(.*?)[ \t]*$", re.MULTILINE)


def parse_step(text: str) -> tuple[str, str, str] | None:
    thought = THOUGHT.search(text)
    t = thought.group(1) if thought else ""
    final = FINAL.search(text)
    action = ACTION.search(text)
    if final and (not action or final.start() < action.start()):
        return t, "finish", final.group(1)
    if action:
        return t, action.group(1), action.group(2)
    return None


def format_transcript(question: str, trajectory: list[dict[str, str]]) -> str:
    lines = [f"Question: {question}"]
    for step in trajectory:
        lines += [f"Thought: {step['thought']}", f"Action: {step['action']}[{step['arg']}]",
                  f"Observation: {step['observation']}"]
    return "\n".join(lines)


def run_agent(policy: Callable[[str], str], tools: dict[str, Callable[[str], str]], question: str,
              max_steps: int) -> tuple[str | None, list[dict[str, str]]]:
    if max_steps < 1:
        raise ValueError(f"max_steps must be >= 1, got {max_steps}")
    trajectory: list[dict[str, str]] = []
    for _ in range(max_steps):
        parsed = parse_step(policy(format_transcript(question, trajectory)))
        if parsed is None:
            trajectory.append({"thought": "", "action": "invalid", "arg": "",
                               "observation": "Error: no action found; use Action: tool[input] or Final Answer: ..."})
            continue
        thought, action, arg = parsed
        if action == "finish":
            return arg, trajectory
        if action not in tools:
            observation = f"Error: unknown tool {action}"
        else:
            try:
                observation = str(tools[action](arg))
            except Exception as err:  # noqa: BLE001 - a tool's failure is an observation for the agent
                observation = f"Error: {err}"
        trajectory.append({"thought": thought, "action": action, "arg": arg, "observation": observation})
    return None, trajectory
