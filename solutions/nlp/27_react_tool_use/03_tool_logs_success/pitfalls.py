"""Plausible wrong logging and statistics that the tests must reject."""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from statistics import NormalDist
from typing import Any

from grader.pitfalls import pitfall


@pitfall(replaces="ToolLogger._wrap", why="logs only successful calls (errors vanish from the log)")
def logs_successes_only(self, name: str, fn: Any) -> Any:  # noqa: ANN001
    def call(arg: str) -> Any:
        result = fn(arg)
        self.records.append({"episode": self.episode, "tool": name, "input": arg, "error": False})
        return result
    return call


@pitfall(replaces="transitions", why="bigrams across episode boundaries (the last tool of one episode leads into the next)")
def across_episodes(records: Sequence[dict[str, Any]]) -> Counter:
    counts: Counter = Counter()
    prev = "START"
    for r in records:
        counts[(prev, r["tool"])] += 1
        prev = r["tool"]
    return counts


@pitfall(replaces="wilson_interval", why="the normal (Wald) interval p +- z sqrt(p(1-p)/n)")
def wald(successes: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    if n < 1 or not 0 <= successes <= n or not 0 < confidence < 1:
        raise ValueError("args")
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    p = successes / n
    half = z * math.sqrt(p * (1 - p) / n)
    return max(0.0, p - half), min(1.0, p + half)


@pitfall(replaces="wilson_interval", why="always uses z = 1.96 whatever the confidence")
def fixed_z(successes: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    if n < 1 or not 0 <= successes <= n or not 0 < confidence < 1:
        raise ValueError("args")
    z, p = 1.959963984540054, successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)
