"""Reference solution for nlp-27-3."""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from statistics import NormalDist
from typing import Any


class ToolLogger:
    def __init__(self, tools: dict[str, Callable[[str], Any]]) -> None:
        self.records: list[dict[str, Any]] = []
        self.episode = 0
        self.wrapped = {name: self._wrap(name, fn) for name, fn in tools.items()}

    def _wrap(self, name: str, fn: Callable[[str], Any]) -> Callable[[str], Any]:
        def call(arg: str) -> Any:
            record = {"episode": self.episode, "tool": name, "input": arg, "error": False}
            self.records.append(record)
            try:
                return fn(arg)
            except Exception:
                record["error"] = True
                raise
        return call

    def new_episode(self) -> None:
        self.episode += 1


def tool_stats(records: Sequence[dict[str, Any]]) -> dict[str, dict[str, float]]:
    out: dict[str, dict[str, float]] = {}
    for r in records:
        s = out.setdefault(r["tool"], {"calls": 0, "errors": 0})
        s["calls"] += 1
        s["errors"] += bool(r["error"])
    for s in out.values():
        s["error_rate"] = s["errors"] / s["calls"]
    return out


def transitions(records: Sequence[dict[str, Any]]) -> Counter:
    counts: Counter = Counter()
    prev: dict[int, str] = {}
    for r in records:
        counts[(prev.get(r["episode"], "START"), r["tool"])] += 1
        prev[r["episode"]] = r["tool"]
    return counts


def wilson_interval(successes: int, n: int, confidence: float = 0.95) -> tuple[float, float]:
    if n < 1 or not 0 <= successes <= n or not 0 < confidence < 1:
        raise ValueError("need n >= 1, 0 <= successes <= n and 0 < confidence < 1")
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return max(0.0, centre - half), min(1.0, centre + half)


def evaluate_suite(run_episode: Callable[[dict[str, Callable[[str], Any]], str], str | None],
                   tasks: Sequence[tuple[str, str, str]], tools: dict[str, Callable[[str], Any]],
                   confidence: float = 0.95) -> dict[str, Any]:
    logger = ToolLogger(tools)
    by_kind: dict[str, list[bool]] = {}
    for question, expected, kind in tasks:
        logger.new_episode()
        try:
            answer = run_episode(logger.wrapped, question)
        except Exception:
            answer = None
        by_kind.setdefault(kind, []).append(answer == expected)
    outcomes = [ok for oks in by_kind.values() for ok in oks]
    k = sum(outcomes)
    return {"success_rate": k / len(outcomes), "interval": wilson_interval(k, len(outcomes), confidence),
            "by_kind": {kind: sum(v) / len(v) for kind, v in by_kind.items()}, "records": logger.records}
