"""`grader report`: an HTML page and a PNG summary of the learner's progress (issue 22, part 2)."""
import base64
import datetime as dt
import json
import struct
import subprocess
import sys
import tomllib
from html.parser import HTMLParser

import pytest
from journey_copy import KATAS, entry, journey_workbook, write_progress
from matplotlib.colors import to_rgb

from grader.commands import report
from grader.discovery import catalog

UTC = dt.UTC
NOW = "2026-12-05T12:00:00"


def at(day: int, hour: int = 10, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=UTC)


class Page(HTMLParser):
    """The parts of the report a test reads: table rows by table id, images, the embedded JSON, links."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list[dict]] = {}
        self.images: dict[str, str] = {}
        self.external: list[str] = []
        self.data: dict | None = None
        self._table = self._row = self._cell = None
        self._script = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        for key in ("src", "href"):
            if key in a and not a[key].startswith("data:"):
                self.external.append(a[key])
        if tag == "link":
            self.external.append(str(a))
        if tag == "table":
            self._table = a.get("id")
            self.tables[self._table] = []
        elif tag == "tr" and self._table:
            self._row = {"attrs": a, "cells": []}
        elif tag in ("td", "th") and self._row is not None:
            self._cell = ""
        elif tag == "img":
            self.images[a["id"]] = a["src"]
        elif tag == "script":
            self._script = a.get("id") == "report-data"

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._row is not None and self._cell is not None:
            self._row["cells"].append(self._cell)
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.tables[self._table].append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None
        elif tag == "script":
            self._script = False

    def handle_data(self, data):
        if self._cell is not None:
            self._cell += data
        if self._script:
            self.data = json.loads(data)


PROGRESS = {
    "nlp-03-1": dict(attempts=2, first_run=at(2, 10), first_passed=at(2, 10, 45)),  # 45 min, estimate 30
    "nlp-03-2": dict(attempts=4, first_run=at(3, 9), first_passed=at(3, 11)),  # 120 min, estimate 45
    "nlp-01-2": dict(attempts=1, first_run=at(3, 20), first_passed=at(3, 20, 30)),
    "nlp-02-1": dict(attempts=1, first_passed=at(6)),  # recorded before first_run existed: no time to pass
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    root = tmp_path_factory.mktemp("report")
    wb = journey_workbook(root / "wb")
    entries = {i: entry(root=wb.root, kata_id=i, **e) for i, e in PROGRESS.items()}
    entries["nlp-02-1"]["fingerprint"] = "sha256:older-tests"  # stale
    entries["nlp-04-1"] = entry("failing", attempts=3, first_run=at(7))
    entries["ml-01-1"] = entry(root=wb.root, kata_id="ml-01-1", first_passed=at(8))  # no kata in this copy: not counted
    write_progress(wb.progress, entries)
    out = root / "me.html"
    run = subprocess.run([sys.executable, "-m", "grader", "report", str(out)], cwd=wb.root,
                         env={**wb.env, "GRADER_NOW": NOW}, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    page = Page()
    page.feed(out.read_text(encoding="utf-8"))
    return wb, out, run, page


def test_page_is_self_contained_and_says_what_was_written(built):
    wb, out, run, page = built
    assert f"wrote {out}" in run.stdout and "3/442 checkboxes passed" in run.stdout
    assert "\r" not in run.stderr  # no progress line when stderr is not a terminal
    assert page.external == []
    assert set(page.images) == {"fig-grid", "fig-tracks", "fig-timeline", "fig-effort"}
    for src in page.images.values():
        assert src.startswith("data:image/png;base64,")
        assert base64.b64decode(src.split(",", 1)[1])[:8] == b"\x89PNG\r\n\x1a\n"


def test_checkbox_table_matches_progress(built):
    _, _, _, page = built
    rows = {r["attrs"]["data-id"]: r["attrs"]["data-status"] for r in page.tables["checkboxes"]}
    assert len(rows) == 442
    want = {"nlp-03-1": "passed", "nlp-03-2": "passed", "nlp-01-2": "passed", "nlp-02-1": "stale",
            "nlp-04-1": "failing", "nlp-03-3": "todo", "nlp-04-2": "todo"}
    assert {i: rows[i] for i in want} == want
    assert {i for i, s in rows.items() if s != "unwritten"} == set(KATAS)
    assert rows["ml-01-1"] == "unwritten"


def test_track_timeline_and_effort_tables_match_progress(built):
    wb, _, _, page = built
    nlp = next(r for r in page.tables["tracks"] if r["attrs"].get("data-track") == "nlp")["cells"]
    assert nlp[:7] == ["nlp", "NLP implementation curriculum", "3", "1", "1", "2", str(148 - 7)]
    assert [r["cells"] for r in page.tables["timeline"][1:]] == [["2026-11-02", "1", "1"], ["2026-11-03", "2", "3"],
                                                                 ["2026-11-06", "1", "4"]]
    effort = {r["attrs"]["data-kata"]: r["cells"] for r in page.tables["effort"][1:]}
    est = {i: str(tomllib.loads((wb.kata(rel) / "kata.toml").read_text())["minutes"]) for i, rel in KATAS.items()}
    assert effort["nlp-03-1"][2:] == ["passed", "2", est["nlp-03-1"], "45"]
    assert effort["nlp-03-2"][2:] == ["passed", "4", est["nlp-03-2"], "120"]
    assert effort["nlp-02-1"][2:] == ["stale", "1", est["nlp-02-1"], ""]
    assert effort["nlp-04-1"][2:] == ["failing", "3", est["nlp-04-1"], ""]
    assert "nlp-03-3" not in effort  # never run
    assert page.data["passed"] == 3 and page.data["stale"] == 1 and page.data["generated"].startswith("2026-12-05T12:00")


def test_png_summary_is_written_beside_the_page(built):
    _, out, _, _ = built
    png = out.with_suffix(".png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", png[16:24])
    assert (width, height) == (1300, 840)


# ------------------------------------------------------------------ the figures' data, in-process
@pytest.fixture(scope="module")
def data():
    katas = [k for k in catalog.discover() if k.id in KATAS]
    table = {"nlp-03-1": {"status": "passed", "attempts": 2, "first_run": at(2, 10), "first_passed": at(2, 10, 45)},
             "nlp-03-2": {"status": "passed", "attempts": 4, "first_run": at(3, 9), "first_passed": at(3, 11)},
             "nlp-04-1": {"status": "failing", "attempts": 1}}
    return report.report_data(katas, table, dt.datetime(2026, 12, 5, tzinfo=UTC))


def test_tracks_figure_stacks_each_status(data):
    fig = report.one_figure(report.draw_tracks, (7, 3.6), data)
    ax = fig.axes[0]
    bars = {c.get_label(): [p.get_width() for p in c] for c in ax.containers}
    assert list(bars) == [report.LABELS[k] for k in report.KINDS]
    nlp = 0  # the first track is drawn at the top: index 0 of each container
    assert bars["passed"][nlp] == 2 and bars["failing"][nlp] == 1 and bars["to do"][nlp] == 4
    assert bars["no kata yet"][nlp] == 148 - 7
    assert [sum(col) for col in zip(*bars.values(), strict=True)] == [t["checkboxes"] for t in data["tracks"]]
    assert [t.get_text() for t in ax.get_yticklabels()] == [t["id"] for t in data["tracks"]]


def test_grid_figure_has_one_cell_per_checkbox(data):
    fig = report.one_figure(report.draw_grid, (11, 2.6), data)
    image = fig.axes[0].get_images()[0].get_array()
    assert image.shape == (10, 103, 3)  # ten checkboxes in the longest section, 103 sections
    matrix = report.grid_matrix(data)
    assert sum(c is not None for row in matrix for c in row) == 442
    sections = [s["id"] for s in data["sections"]]
    col = sections.index("nlp-03")
    assert tuple(image[0, col]) == pytest.approx(to_rgb(report.COLORS["passed"]))  # nlp-03-1
    assert tuple(image[2, col]) == pytest.approx(to_rgb(report.COLORS["todo"]))  # nlp-03-3
    assert tuple(image[0, sections.index("nlp-04")]) == pytest.approx(to_rgb(report.COLORS["failing"]))
    assert tuple(image[3, col]) == pytest.approx(to_rgb(report.EMPTY))  # nlp-03 has three checkboxes
    assert tuple(image[0, sections.index("arch-01")]) == pytest.approx(to_rgb(report.COLORS["unwritten"]))


def test_timeline_and_effort_figures_plot_the_data(data):
    ax = report.one_figure(report.draw_timeline, (6, 3.2), data).axes[0]
    line = next(ln for ln in ax.get_lines() if ln.get_gid() == "cumulative")
    assert list(line.get_ydata()) == [1, 2]
    ax = report.one_figure(report.draw_effort, (6, 3.2), data).axes[0]
    points = ax.collections[0].get_offsets().tolist()
    by_id = {k.id: k.meta["minutes"] for k in catalog.discover() if k.id in ("nlp-03-1", "nlp-03-2")}
    assert points == [[by_id["nlp-03-1"], 45], [by_id["nlp-03-2"], 120]] and ax.get_xscale() == "log"
    empty = report.report_data([], {}, dt.datetime(2026, 12, 5, tzinfo=UTC))
    for draw in (report.draw_timeline, report.draw_effort):
        texts = [t.get_text() for t in report.one_figure(draw, (6, 3.2), empty).axes[0].texts]
        assert any("no " in t for t in texts)


# ------------------------------------------------------------------ bad input
def test_report_bad_input_writes_nothing(tmp_path):
    wb = journey_workbook(tmp_path / "wb", ["nlp-02-1"])
    page, png = tmp_path / "me.html", tmp_path / "me.png"
    for args, message in (([str(tmp_path)], "name a .html file"),
                          ([str(tmp_path / "nope" / "me.html")], "does not exist"),
                          ([str(page), "--png", str(page)], "different paths"),
                          ([str(page), "--png", str(tmp_path)], "is a directory")):
        out = wb.grader("report", *args)
        assert out.returncode == 2 and message in out.stderr and out.stderr.count("\n") == 1, (args, out)
    page.write_text("last week's report")
    png.write_bytes(b"last week's picture")
    broken = '[katas."nlp-02-1"]\nstatus = "passed"\nattempts = [\n'
    wb.progress.write_text(broken)
    out = wb.grader("report", str(page))
    assert out.returncode == 1 and "not valid TOML" in out.stderr and out.stderr.count("\n") == 1
    assert page.read_text() == "last week's report" and png.read_bytes() == b"last week's picture"
    assert wb.progress.read_text() == broken and sorted(p.name for p in tmp_path.iterdir()) == ["me.html", "me.png", "wb"]
