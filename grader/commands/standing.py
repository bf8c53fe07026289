"""Where the learner stands: each kata's status, and which kata comes next on a route.

Shared by `grader status`, `next`, `export`, `report` and `review`. Reads only progress tables,
kata metadata and TOML data: never a kata's Python, never torch.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from grader.discovery import routes
from grader.discovery.catalog import Kata
from grader.stores import manifest, progress

STATUSES = ("todo", "failing", "passed", "stale")


def status(kata_id: str, entry: dict | None) -> str:
    """todo, failing, passed, or stale (passed under tests that have since changed)."""
    s = progress.status_of(entry)
    if s == "passed" and entry and entry.get("fingerprint"):
        shipped = manifest.shipped().get(kata_id, entry.get("fingerprint"))
        if entry.get("fingerprint") != shipped:
            return "stale"
    return s


def statuses(katas: list[Kata], table: dict[str, dict]) -> dict[str, str]:
    """Status of every kata that exists, by id."""
    return {k.id: status(k.id, table.get(k.id)) for k in katas}


@dataclass
class Pick:
    """The kata `grader next` offers, the stop of the route it belongs to, and what it stepped over."""

    kata: Kata | None
    stop: routes.Stop | None = None
    unlocks: Kata | None = None  # the kata of the route this prerequisite comes before, if it is one
    missing: list[Kata] = field(default_factory=list)  # the prerequisites `unlocks` still lacks
    remaining: int = 0  # katas of the route not yet passed, this one included


def choose(katas: list[Kata], table: dict[str, dict], route_name: str | None = None) -> Pick:
    """The first kata of the route not yet passed whose prerequisites have passed.

    When the route's next kata builds on katas the learner has not passed, the pick is the first of
    those prerequisites that is itself ready (a stale pass counts as done: the learner did it).
    """
    route = routes.route(route_name)
    by_id = {k.id: k for k in katas}
    st = statuses(katas, table)
    needs = routes.prerequisites((k.id, k.meta) for k in katas)

    def missing(kata_id: str) -> list[str]:
        return [p for p in needs.get(kata_id, ()) if p in by_id and st[p] not in ("passed", "stale")]

    def ready_prerequisite(kata_id: str, seen: set[str]) -> str | None:
        for p in missing(kata_id):
            if p in seen:
                continue
            seen.add(p)
            if not missing(p):
                return p
            deeper = ready_prerequisite(p, seen)
            if deeper:
                return deeper
        return None

    order = [(i, stop) for i, stop in route.order() if i in by_id]
    remaining = sum(1 for i, _ in order if st[i] != "passed")
    for i, stop in order:
        if st[i] == "passed":
            continue
        lacking = missing(i)
        if not lacking:
            return Pick(by_id[i], stop, remaining=remaining)
        target = ready_prerequisite(i, {i})
        if target is not None:
            return Pick(by_id[target], stop, unlocks=by_id[i], missing=[by_id[p] for p in lacking],
                        remaining=remaining)
    return Pick(None, remaining=remaining)
