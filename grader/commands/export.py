"""`grader export`: the curriculum as the learner's own Markdown checklist, ticked where they passed.

One `# title` per track, one `## section` per section, one `- [ ] item` per checkbox, in the
curriculum's order and wording (the NLP track is seed 003 line for line). A checkbox is ticked when
its kata has passed; a pass earned under tests that have since changed is ticked and marked stale.
JSON and CSV give the same rows to other tools. Reads TOML only: never torch, as fast as `status`.
"""
from __future__ import annotations

import csv
import io
import json
import tomllib
from dataclasses import asdict, dataclass
from functools import cache

from grader.commands import standing
from grader.discovery.catalog import Kata
from grader.discovery.curriculum import Track, tracks
from grader.discovery.paths import PACKAGE

STALE_MARK = " *(stale: passed under older tests)*"
FORMATS = ("markdown", "json", "csv")


class ExportError(Exception):
    """An unknown track or section; one line for the learner."""


@dataclass(frozen=True)
class Row:
    id: str
    track: str
    section: str
    section_title: str
    title: str
    kata: bool  # whether a kata exists for the checkbox
    status: str  # todo, failing, passed, stale
    checked: bool


@cache
def titles() -> dict[str, str]:
    data = tomllib.loads((PACKAGE / "checklists.toml").read_text(encoding="utf-8"))
    return {str(k): str(v) for k, v in data.get("titles", {}).items()}


def heading(track: Track) -> str:
    return titles().get(track.id, track.title)


def rows(katas: list[Kata], table: dict[str, dict], track: str | None = None, section: str | None = None) -> list[Row]:
    """One row per curriculum checkbox chosen, in curriculum order."""
    known = [t.id for t in tracks()]
    if track is not None and track not in known:
        raise ExportError(f"unknown track '{track}'; tracks are {', '.join(known)}")
    sections = [c.section for t in tracks() for c in t.checkboxes]
    if section is not None and section not in sections:
        raise ExportError(f"unknown section '{section}'; sections look like nlp-02 (`grader list` names them)")
    if track is not None and section is not None and not section.startswith(track + "-"):
        raise ExportError(f"section {section} is not in track {track}")
    st = standing.statuses(katas, table)
    out = []
    for t in tracks():
        if track is not None and t.id != track:
            continue
        for c in t.checkboxes:
            if section is not None and c.section != section:
                continue
            s = st.get(c.id, "todo")
            out.append(Row(c.id, c.track, c.section, c.section_title, c.title, c.id in st, s, s in ("passed", "stale")))
    return out


def markdown(chosen: list[Row], section_only: bool = False) -> str:
    """The checklist: `# track`, blank line, then `## section` + items per section, sections apart by a blank line."""
    by_track = {t.id: t for t in tracks()}
    lines: list[str] = []
    current_track = current_section = None
    for r in chosen:
        if r.track != current_track and not section_only:
            if lines:
                lines.append("")
            lines += [f"# {heading(by_track[r.track])}", ""]
            current_track, current_section = r.track, None
        if r.section != current_section:
            if current_section is not None:
                lines.append("")
            lines.append(f"## {r.section_title}")
            current_section = r.section
        mark = "x" if r.checked else " "
        lines.append(f"- [{mark}] {r.title}" + (STALE_MARK if r.status == "stale" else ""))
    return "\n".join(lines) + "\n" if lines else ""


def render(chosen: list[Row], fmt: str, section_only: bool = False) -> str:
    if fmt == "markdown":
        return markdown(chosen, section_only)
    records = [asdict(r) for r in chosen]
    if fmt == "json":
        return json.dumps(records, indent=1, ensure_ascii=False) + "\n"
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=list(Row.__dataclass_fields__), lineterminator="\n")
    writer.writeheader()
    writer.writerows(records)
    return buf.getvalue()
