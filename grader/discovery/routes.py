"""Prerequisites between katas and named routes through the curriculum, as data.

`grader/prerequisites.toml` says which katas build on which (a kata.toml may add `builds_on`);
`grader/routes.toml` names routes (`grader next --path NAME`). Both hold curriculum checkbox ids,
so they can name katas that are not written yet. Only TOML is read: `grader status` stays fast.
"""
from __future__ import annotations

import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from grader.discovery.curriculum import checkboxes, tracks
from grader.discovery.paths import PACKAGE

DEFAULT_ROUTE = "curriculum"


class RouteError(Exception):
    """An unknown route, or route data that does not hold together; one line for the learner."""


@dataclass(frozen=True)
class Stop:
    label: str
    note: str
    ids: tuple[str, ...]  # checkbox ids, in the order to do them


@dataclass(frozen=True)
class Route:
    name: str
    title: str
    stops: tuple[Stop, ...]

    def order(self) -> list[tuple[str, Stop]]:
        """Every checkbox of the route once, with the stop it first appears in."""
        seen: set[str] = set()
        out = []
        for stop in self.stops:
            for i in stop.ids:
                if i not in seen:
                    seen.add(i)
                    out.append((i, stop))
        return out


def _load(name: str) -> dict:
    return tomllib.loads((PACKAGE / name).read_text(encoding="utf-8"))


@cache
def _index() -> dict[str, tuple[str, ...]]:
    """Checkbox, section and track ids -> their checkbox ids, in curriculum order."""
    idx: dict[str, list[str]] = {}
    for t in tracks():
        for c in t.checkboxes:
            for key in (c.id, c.section, c.track):
                idx.setdefault(key, []).append(c.id)
    return {k: tuple(v) for k, v in idx.items()}


def expand(item: str) -> list[str]:
    """A checkbox id as itself; a section id ("dsa-01") or track id ("nlp") as its checkboxes, in order."""
    return list(_index().get(item, ()))


@cache
def _specs() -> dict[str, dict]:
    return {str(k): v for k, v in _load("routes.toml").get("route", {}).items() if isinstance(v, dict)}


@cache
def _build(name: str) -> Route:
    spec = _specs()[name]
    boxes = checkboxes()
    stops: list[Stop] = []
    for track_id in spec.get("tracks", []):
        sections: dict[str, list[str]] = {}
        for i in expand(track_id):
            sections.setdefault(boxes[i].section, []).append(i)
        for section, ids in sections.items():
            stops.append(Stop(f"{section} {boxes[ids[0]].section_title}", "", tuple(ids)))
    for s in spec.get("stop", []):
        ids = [i for item in s.get("katas", []) for i in expand(item)]
        stops.append(Stop(str(s.get("label", "")), str(s.get("note", "")), tuple(ids)))
    return Route(name, str(spec.get("title", name)), tuple(stops))


def routes() -> dict[str, Route]:
    return {name: _build(name) for name in _specs()}


def route(name: str | None) -> Route:
    name = name or DEFAULT_ROUTE
    if name not in _specs():
        raise RouteError(f"unknown path '{name}'; paths are {', '.join(_specs())}")
    return _build(name)


@cache
def _declared() -> dict[str, tuple[str, ...]]:
    return {k: tuple(v) for k, v in _load("prerequisites.toml").get("builds_on", {}).items()}


def prerequisites(kata_meta: Iterable[tuple[str, dict]] = ()) -> dict[str, tuple[str, ...]]:
    """Checkbox id -> the ids it builds on: grader/prerequisites.toml plus each kata.toml's `builds_on`."""
    out = dict(_declared())
    for kata_id, meta in kata_meta:
        extra = meta.get("builds_on")
        if isinstance(extra, list):
            merged = list(out.get(kata_id, ()))
            merged += [str(e) for e in extra if str(e) not in merged]
            out[kata_id] = tuple(merged)
    return out


def problems(prereqs: dict[str, tuple[str, ...]] | None = None) -> list[str]:
    """What is wrong with the route and prerequisite data: unknown ids, empty stops, cycles."""
    boxes = checkboxes()
    prereqs = _declared() if prereqs is None else prereqs
    found = []
    raw = _load("routes.toml").get("route", {})
    for name, spec in raw.items():
        for t in spec.get("tracks", []):
            if not expand(t):
                found.append(f"route {name}: unknown track {t!r}")
        for s in spec.get("stop", []):
            for item in s.get("katas", []):
                if not expand(item):
                    found.append(f"route {name}, stop {s.get('label')!r}: unknown checkbox or section {item!r}")
            if not s.get("katas"):
                found.append(f"route {name}, stop {s.get('label')!r}: names no katas")
    if DEFAULT_ROUTE not in raw:
        found.append(f"routes.toml lacks the default route {DEFAULT_ROUTE!r}")
    for kata_id, needs in prereqs.items():
        for i in (kata_id, *needs):
            if i not in boxes:
                found.append(f"prerequisites: {i!r} is not a curriculum checkbox")
        if kata_id in needs:
            found.append(f"prerequisites: {kata_id} builds on itself")
    cycle = find_cycle(prereqs)
    if cycle:
        found.append("prerequisites form a cycle: " + " -> ".join(cycle))
    return found


def find_cycle(prereqs: dict[str, tuple[str, ...]]) -> list[str] | None:
    """One cycle of the builds-on graph as a list of ids (first == last), or None."""
    state: dict[str, int] = {}  # 1: on the stack, 2: done
    stack: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        stack.append(node)
        for nxt in prereqs.get(node, ()):
            if state.get(nxt) == 1:
                return stack[stack.index(nxt):] + [nxt]
            if nxt not in state:
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return None

    for node in prereqs:
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None
