"""nlp-27-1: the ReAct loop: reason, act, observe, iterate. Edit this file;
`grader check nlp-27-1` tests it."""
from __future__ import annotations

import re  # noqa: F401
from collections.abc import Callable


def parse_step(text: str) -> tuple[str, str, str] | None:
    """Parse one model turn into (thought, action, input).

    thought: the text after "Thought:" on its line ("" if absent). A line "Action: <tool>[<input>]" gives
    (thought, tool, input); a line "Final Answer: <answer>" gives (thought, "finish", answer); whichever comes
    first wins. None if the turn has neither. Surrounding spaces are stripped from thought and answer.
    """
    raise NotImplementedError("parse_step: regular expressions for the three kinds of line")


def format_transcript(question: str, trajectory: list[dict[str, str]]) -> str:
    """The prompt the policy sees: "Question: {question}", then per step "Thought: {thought}",
    "Action: {action}[{arg}]", "Observation: {observation}", one per line."""
    raise NotImplementedError("format_transcript")


def run_agent(policy: Callable[[str], str], tools: dict[str, Callable[[str], str]], question: str,
              max_steps: int) -> tuple[str | None, list[dict[str, str]]]:
    """ReAct (Yao et al. 2023). Up to max_steps times: call policy(format_transcript(question, trajectory)) and
    parse_step its output.

    - a final answer: return (answer, trajectory) (the final turn is not added to the trajectory);
    - an action: run tools[action](arg); the observation is its result as a string, or "Error: unknown tool
      {action}" for an unknown tool, or f"Error: {exception}" if the tool raises; append
      {"thought", "action", "arg", "observation"} to the trajectory;
    - nothing parsable: append {"thought": "", "action": "invalid", "arg": "", "observation": "Error: ..."}.

    Returns (None, trajectory) when max_steps turns pass without a final answer.

    Raises:
        ValueError: if max_steps < 1.
    """
    raise NotImplementedError("run_agent: think, act, observe, repeat")
