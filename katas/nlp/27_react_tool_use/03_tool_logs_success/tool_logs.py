"""nlp-27-3: log tool-call patterns and measure task success rates. Edit this file;
`grader check nlp-27-3` tests it."""
from __future__ import annotations

import math  # noqa: F401
from collections import Counter
from collections.abc import Callable, Sequence
from statistics import NormalDist  # noqa: F401
from typing import Any


class ToolLogger:
    """Wraps tools so that every call is logged.

    `wrapped` maps each tool name to a function with the same behaviour (returns the tool's result, re-raises
    its exceptions) that first appends {"episode": current episode, "tool": name, "input": arg, "error": False}
    to `records` and sets "error" to True if the tool raises. `episode` starts at 0; new_episode() adds 1.
    """

    def __init__(self, tools: dict[str, Callable[[str], Any]]) -> None:
        raise NotImplementedError("ToolLogger.__init__: records, episode counter, wrapped tools")

    def new_episode(self) -> None:
        raise NotImplementedError("ToolLogger.new_episode")


def tool_stats(records: Sequence[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """Per tool that was called: {"calls", "errors", "error_rate" = errors / calls}."""
    raise NotImplementedError("tool_stats: count per tool")


def transitions(records: Sequence[dict[str, Any]]) -> Counter:
    """Counter of (previous tool, tool) pairs within each episode, the first call of an episode coming from
    "START": the tool-use patterns of the agent."""
    raise NotImplementedError("transitions: bigrams of consecutive calls per episode")


def wilson_interval(successes: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval for a success rate (two-sided, z from the normal quantile of 0.5 + confidence/2).

    Raises:
        ValueError: unless n >= 1, 0 <= successes <= n and 0 < confidence < 1.
    """
    raise NotImplementedError("wilson_interval: the score interval formula")


def evaluate_suite(run_episode: Callable[[dict[str, Callable[[str], Any]], str], str | None],
                   tasks: Sequence[tuple[str, str, str]], tools: dict[str, Callable[[str], Any]],
                   confidence: float = 0.95) -> dict[str, Any]:
    """Run every task (question, expected answer, kind) as its own episode of one ToolLogger over `tools`:
    answer = run_episode(logger.wrapped, question); an exception from run_episode counts as a failure. Returns
    {"success_rate", "interval": wilson_interval(...) at `confidence`, "by_kind": {kind: success rate},
    "records": the logger's records}.
    """
    raise NotImplementedError("evaluate_suite: episodes, outcomes, interval, logs")
