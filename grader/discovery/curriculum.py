"""The curriculum as data: tracks, sections and checkboxes in learning order.

Loaded from `curriculum.toml` (generated from the shared CURRICULUM.md), so the grader reports on
every checkbox, written as a kata yet or not.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache

from grader.discovery.paths import PACKAGE


@dataclass(frozen=True)
class Checkbox:
    id: str  # "nlp-02-3": the kata's id
    title: str
    track: str  # "nlp"
    section: str  # "nlp-02"
    section_title: str
    section_folder: str  # "02_positional_embeddings"
    order: int  # position in the whole curriculum


@dataclass(frozen=True)
class Track:
    id: str
    title: str
    checkboxes: tuple[Checkbox, ...]


@cache
def tracks() -> tuple[Track, ...]:
    data = tomllib.loads((PACKAGE / "curriculum.toml").read_text(encoding="utf-8"))
    out: list[Track] = []
    order = 0
    for t in data["track"]:
        boxes: list[Checkbox] = []
        for s in t["section"]:
            for box_id, title in s["checkboxes"]:
                boxes.append(Checkbox(box_id, title, t["id"], s["id"], s["title"], s["folder"], order))
                order += 1
        out.append(Track(t["id"], t["title"], tuple(boxes)))
    return tuple(out)


@cache
def checkboxes() -> dict[str, Checkbox]:
    return {c.id: c for t in tracks() for c in t.checkboxes}
