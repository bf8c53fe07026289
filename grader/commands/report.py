"""`grader report`: where the learner stands, as a self-contained HTML page and a PNG summary.

The page needs no network: inline CSS, the pictures as inline PNG, the numbers as HTML tables and
as JSON (`<script type="application/json" id="report-data">`). As the kata contract asks of plots,
`report_data` returns the data behind every picture and each `draw_*` draws it on an axes, so tests
check the numbers and the figures separately. matplotlib runs on its Agg backend; no pyplot.
"""
from __future__ import annotations

import base64
import datetime as dt
import html
import io
import json
from collections import Counter
from typing import TYPE_CHECKING

from grader.commands import standing
from grader.discovery.catalog import Kata
from grader.discovery.curriculum import tracks
from grader.stores import reviews

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

# Status of a checkbox in the report: a kata's own status, or "unwritten" where no kata exists yet.
KINDS = ("passed", "stale", "failing", "todo", "unwritten")
COLORS = {"passed": "#2e9e44", "stale": "#e8a33d", "failing": "#d64541", "todo": "#c9ced6", "unwritten": "#eef0f3"}
EMPTY = "#ffffff"
LABELS = {"passed": "passed", "stale": "stale pass", "failing": "failing", "todo": "to do", "unwritten": "no kata yet"}


def _when(value: object) -> dt.datetime | None:
    return reviews._as_datetime(value)


def report_data(katas: list[Kata], table: dict[str, dict], now: dt.datetime) -> dict:
    """Everything the report shows, as plain data (JSON-serialisable)."""
    by_id = {k.id: k for k in katas}
    st = standing.statuses(katas, table)
    kind = {c.id: st.get(c.id, "unwritten") for t in tracks() for c in t.checkboxes}
    track_rows = []
    sections: list[dict] = []
    for t in tracks():
        counts = Counter(kind[c.id] for c in t.checkboxes)
        track_rows.append({"id": t.id, "title": t.title, "checkboxes": len(t.checkboxes),
                           **{k: counts.get(k, 0) for k in KINDS}})
        for c in t.checkboxes:
            if not sections or sections[-1]["id"] != c.section:
                sections.append({"id": c.section, "title": c.section_title, "track": t.id, "cells": []})
            sections[-1]["cells"].append({"id": c.id, "title": c.title, "status": kind[c.id]})
    passes = sorted(d.date() for i, e in table.items()
                    if i in by_id and progress_passed(e) and (d := _when(e.get("first_passed"))) is not None)
    per_day = Counter(passes)
    timeline, total = [], 0
    for day in sorted(per_day):
        total += per_day[day]
        timeline.append({"date": day.isoformat(), "passed": per_day[day], "cumulative": total})
    effort = []
    for k in katas:
        e = table.get(k.id)
        attempts = e.get("attempts") if e and isinstance(e.get("attempts"), int) else 0
        if not e or (attempts <= 0 and not progress_passed(e)):
            continue  # never run
        start, passed_at = _when(e.get("first_run")), _when(e.get("first_passed"))
        minutes = None
        if start is not None and passed_at is not None and passed_at >= start and progress_passed(e):
            minutes = round((passed_at - start).total_seconds() / 60, 1)
        estimate = k.meta.get("minutes") if isinstance(k.meta.get("minutes"), int) else None
        effort.append({"id": k.id, "title": k.title, "status": st[k.id], "attempts": attempts,
                       "estimate_minutes": estimate, "minutes_to_pass": minutes})
    due = sum(1 for k in katas if reviews.is_due(table.get(k.id), now))
    total_passed = sum(r["passed"] for r in track_rows)
    return {"generated": now.isoformat(), "checkboxes": sum(r["checkboxes"] for r in track_rows), "katas": len(katas),
            "passed": total_passed, "stale": sum(r["stale"] for r in track_rows), "reviews_due": due,
            "tracks": track_rows, "sections": sections, "timeline": timeline, "effort": effort}


def progress_passed(entry: dict) -> bool:
    return entry.get("status") == "passed"


# ---------------------------------------------------------------- pictures
def draw_tracks(ax: Axes, data: dict) -> None:
    """One horizontal bar per track, stacked by status, in checkboxes."""
    rows = data["tracks"]
    y = list(range(len(rows)))[::-1]
    left = [0] * len(rows)
    for k in KINDS:
        widths = [r[k] for r in rows]
        ax.barh(y, widths, left=left, color=COLORS[k], label=LABELS[k], edgecolor="white", linewidth=0.5, gid=k)
        left = [a + b for a, b in zip(left, widths, strict=True)]
    ax.set_yticks(y, [r["id"] for r in rows])
    ax.set_xlabel("checkboxes")
    ax.set_title("Progress per track")
    for yy, r in zip(y, rows, strict=True):
        ax.text(r["checkboxes"] + 1, yy, f"{r['passed']}/{r['checkboxes']}", va="center", fontsize=8)
    ax.set_xlim(0, max(r["checkboxes"] for r in rows) * 1.15)
    ax.legend(loc="lower right", fontsize=7, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)


def grid_matrix(data: dict) -> list[list[str | None]]:
    """Rows = position within a section, columns = sections in curriculum order: a status or None."""
    depth = max(len(s["cells"]) for s in data["sections"])
    return [[s["cells"][r]["status"] if r < len(s["cells"]) else None for s in data["sections"]] for r in range(depth)]


def draw_grid(ax: Axes, data: dict) -> None:
    """One cell per checkbox coloured by status; one column per section, grouped by track."""
    from matplotlib.colors import to_rgb

    matrix = grid_matrix(data)
    image = [[to_rgb(COLORS[c] if c else EMPTY) for c in row] for row in matrix]
    ax.imshow(image, aspect="auto", interpolation="nearest", gid="checkbox-grid")
    sections = data["sections"]
    ax.set_xticks([i + 0.5 for i in range(len(sections) - 1)], minor=True)  # white lines between the cells
    ax.set_yticks([r + 0.5 for r in range(len(matrix) - 1)], minor=True)
    ax.grid(which="minor", color="white", linewidth=0.6)
    ax.tick_params(which="minor", length=0)
    starts = [i for i, s in enumerate(sections) if i == 0 or sections[i - 1]["track"] != s["track"]]
    for i in starts[1:]:
        ax.axvline(i - 0.5, color="#555555", linewidth=1)
    ends = starts[1:] + [len(sections)]
    ax.set_xticks([(a + b - 1) / 2 for a, b in zip(starts, ends, strict=True)], [sections[i]["track"] for i in starts])
    ax.set_yticks([])
    ax.tick_params(length=0)
    ax.set_title("Every checkbox: one column per section, grouped by track")
    from matplotlib.patches import Patch

    ax.legend(handles=[Patch(color=COLORS[k], label=LABELS[k]) for k in KINDS], loc="upper center",
              bbox_to_anchor=(0.5, -0.12), ncol=len(KINDS), fontsize=7, frameon=False)


def timeline_points(data: dict) -> tuple[list[dt.date], list[int]]:
    return [dt.date.fromisoformat(p["date"]) for p in data["timeline"]], [p["cumulative"] for p in data["timeline"]]


def draw_timeline(ax: Axes, data: dict) -> None:
    """Cumulative passes over the days they were first earned."""
    days, counts = timeline_points(data)
    ax.set_title("Passes over time")
    ax.set_ylabel("katas passed (cumulative)")
    if not days:
        ax.text(0.5, 0.5, "no passes yet", ha="center", va="center", transform=ax.transAxes, color="#777777")
        ax.set_xticks([])
        return
    ax.step(days, counts, where="post", color=COLORS["passed"], linewidth=2, marker="o", markersize=3, gid="cumulative")
    ax.set_ylim(0, max(counts) * 1.1 + 1)
    ax.tick_params(axis="x", labelrotation=30, labelsize=7)
    ax.spines[["top", "right"]].set_visible(False)


def effort_points(data: dict) -> list[dict]:
    """Katas with both an estimate and a measured time to pass: the scatter's points."""
    return [e for e in data["effort"] if e["estimate_minutes"] and e["minutes_to_pass"] is not None]


def draw_effort(ax: Axes, data: dict) -> None:
    """Time to pass against the kata's estimate (log-log), marker area by attempts; the diagonal is on time."""
    points = effort_points(data)
    ax.set_title("Time to pass vs the kata's estimate")
    ax.set_xlabel("estimate (minutes)")
    ax.set_ylabel("first run to first pass (minutes)")
    if not points:
        ax.text(0.5, 0.5, "no timed passes yet", ha="center", va="center", transform=ax.transAxes, color="#777777")
        return
    xs = [p["estimate_minutes"] for p in points]
    ys = [max(p["minutes_to_pass"], 1.0) for p in points]
    sizes = [20 + 15 * p["attempts"] for p in points]
    ax.scatter(xs, ys, s=sizes, color=COLORS["passed"], alpha=0.7, edgecolor="white", gid="effort")
    lo, hi = min(xs + ys) / 1.5, max(xs + ys) * 1.5
    ax.plot([lo, hi], [lo, hi], color="#888888", linestyle="--", linewidth=1, gid="on-estimate")
    ax.set_xscale("log")
    ax.set_yscale("log")
    if len(points) <= 25:
        for p, x, y in zip(points, xs, ys, strict=True):
            ax.annotate(f"{p['id']} ×{p['attempts']}", (x, y), fontsize=6, xytext=(3, 3), textcoords="offset points")
    ax.spines[["top", "right"]].set_visible(False)


def _figure(width: float, height: float) -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=100, layout="constrained")
    FigureCanvasAgg(fig)
    return fig


PANELS = (("grid", draw_grid, (11, 2.6)), ("tracks", draw_tracks, (7, 3.6)),
          ("timeline", draw_timeline, (6, 3.2)), ("effort", draw_effort, (6, 3.2)))


def one_figure(draw: object, size: tuple[float, float], data: dict) -> Figure:
    fig = _figure(*size)
    draw(fig.add_subplot(), data)  # type: ignore[operator]
    return fig


def figures(data: dict) -> dict[str, Figure]:
    """One figure per picture of the HTML page."""
    return {name: one_figure(draw, size, data) for name, draw, size in PANELS}


def summary(data: dict) -> Figure:
    """The PNG summary: the grid across the top, tracks, timeline and effort below."""
    fig = _figure(13, 8.4)
    grid = fig.add_gridspec(2, 3, height_ratios=[1, 1.6])
    draw_grid(fig.add_subplot(grid[0, :]), data)
    draw_tracks(fig.add_subplot(grid[1, 0]), data)
    draw_timeline(fig.add_subplot(grid[1, 1]), data)
    draw_effort(fig.add_subplot(grid[1, 2]), data)
    stale = f" (+{data['stale']} stale)" if data["stale"] else ""
    fig.suptitle(f"ML kata workbook: {data['passed']}/{data['checkboxes']} checkboxes passed{stale} · "
                 f"{data['katas']} katas written · {data['generated'][:10]}", fontsize=12)
    return fig


def png_bytes(fig: Figure) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    return buf.getvalue()


# ---------------------------------------------------------------- the page
CSS = """
body { font: 15px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 72rem; color: #222; padding: 0 1rem; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 2rem; }
table { border-collapse: collapse; font-size: 13px; } td, th { padding: .2rem .6rem; border-bottom: 1px solid #e4e4e4; text-align: left; }
td.num, th.num { text-align: right; } img { max-width: 100%; } .muted { color: #666; }
.passed { color: #1f7a31; } .stale { color: #a86b0c; } .failing { color: #b3261e; } .todo, .unwritten { color: #777; }
details { margin-top: 1rem; } summary { cursor: pointer; }
"""


def _img(name: str, fig: Figure, alt: str) -> str:
    encoded = base64.b64encode(png_bytes(fig)).decode("ascii")
    return f'<img id="fig-{name}" alt="{html.escape(alt)}" src="data:image/png;base64,{encoded}">'


def page(data: dict, figs: dict[str, Figure]) -> str:
    e = html.escape
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           "<title>ML kata workbook: your progress</title>", f"<style>{CSS}</style></head><body>",
           "<h1>ML kata workbook: your progress</h1>",
           f'<p id="summary">{data["passed"]} of {data["checkboxes"]} checkboxes passed · {data["katas"]} katas written · '
           f'{data["stale"]} stale · {data["reviews_due"]} reviews due · <span class="muted">{e(data["generated"])}</span></p>',
           "<h2>Every checkbox</h2>", _img("grid", figs["grid"], "one cell per checkbox, coloured by status"),
           "<h2>Progress per track</h2>", _img("tracks", figs["tracks"], "progress per track"),
           '<table id="tracks"><tr><th>track</th><th>title</th>'
           + "".join(f'<th class="num">{LABELS[k]}</th>' for k in KINDS) + '<th class="num">checkboxes</th></tr>']
    for r in data["tracks"]:
        out.append(f'<tr data-track="{e(r["id"])}"><td>{e(r["id"])}</td><td>{e(r["title"])}</td>'
                   + "".join(f'<td class="num" data-kind="{k}">{r[k]}</td>' for k in KINDS)
                   + f'<td class="num">{r["checkboxes"]}</td></tr>')
    out.append("</table>")
    out += ["<h2>Passes over time</h2>", _img("timeline", figs["timeline"], "cumulative passes over time"),
            '<table id="timeline"><tr><th>day</th><th class="num">passed</th><th class="num">cumulative</th></tr>']
    out += [f'<tr><td>{p["date"]}</td><td class="num">{p["passed"]}</td><td class="num">{p["cumulative"]}</td></tr>'
            for p in data["timeline"]]
    out.append("</table>")
    out += ["<h2>Attempts and time to pass</h2>", _img("effort", figs["effort"], "time to pass against the estimate"),
            '<table id="effort"><tr><th>kata</th><th>title</th><th>status</th><th class="num">attempts</th>'
            '<th class="num">estimate (min)</th><th class="num">first run to first pass (min)</th></tr>']
    for r in data["effort"]:
        took = "" if r["minutes_to_pass"] is None else f'{r["minutes_to_pass"]:g}'
        out.append(f'<tr data-kata="{e(r["id"])}"><td>{e(r["id"])}</td><td>{e(r["title"])}</td>'
                   f'<td class="{r["status"]}">{r["status"]}</td><td class="num">{r["attempts"]}</td>'
                   f'<td class="num">{r["estimate_minutes"] or ""}</td><td class="num">{took}</td></tr>')
    out.append("</table>")
    out += ["<details><summary>Every checkbox as a list</summary>", '<table id="checkboxes">']
    for s in data["sections"]:
        for c in s["cells"]:
            out.append(f'<tr data-id="{e(c["id"])}" data-status="{c["status"]}"><td>{e(c["id"])}</td>'
                       f'<td>{e(c["title"])}</td><td class="{c["status"]}">{LABELS[c["status"]]}</td></tr>')
    out.append("</table></details>")
    payload = json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
    out += [f'<script type="application/json" id="report-data">{payload}</script>', "</body></html>"]
    return "\n".join(out) + "\n"
