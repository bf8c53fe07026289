"""`grader export`: the learner's own checklists come back ticked (issue 22, part 1)."""
import csv
import io
import json
import re
import subprocess
import sys

import pytest
from journey_copy import NLP_003, entry, journey_workbook, write_progress
from workbook_copy import REPO

PASSED = ["nlp-01-2", "nlp-03-1", "nlp-04-1"]


@pytest.fixture(scope="module")
def wb(tmp_path_factory):
    wb = journey_workbook(tmp_path_factory.mktemp("export") / "wb")
    write_progress(wb.progress, {
        **{i: entry(root=wb.root, kata_id=i) for i in PASSED},
        "nlp-03-2": entry("failing", attempts=3),
        "nlp-02-1": entry(root=wb.root, kata_id="nlp-02-1", fingerprint="sha256:older-tests"),  # stale
        "nlp-05-1": entry(root=wb.root, kata_id="nlp-05-1"),  # a pass for a kata not in this workbook: no tick
    })
    return wb


def seed_with_ticks(ticked: set[str]) -> list[str]:
    """Seed 003 with every box cleared, then the boxes of `ticked` (checkbox titles) set."""
    out = []
    for line in NLP_003.read_text(encoding="utf-8").splitlines():
        line = line.rstrip()  # the seed has one trailing space ("Skip-Gram "); a note app does not keep it
        m = re.match(r"- \[[ x]\] (.*)$", line)
        if m:
            line = f"- [{'x' if m[1] in ticked else ' '}] {m[1]}"
        out.append(line)
    return out


def test_nlp_export_is_seed_003_with_exactly_the_passed_boxes_ticked(wb):
    out = wb.grader("export", "--track", "nlp")
    assert out.returncode == 0, out.stderr
    titles = {"nlp-01-2": "Byte-Pair Encoding (BPE)", "nlp-03-1": "hand-wire dot-product attention for one token",
              "nlp-04-1": "stack the Attention implementations with LayerNorm and residuals → single-block transformer"}
    want = seed_with_ticks(set(titles.values()))
    got = out.stdout.splitlines()
    # the stale pass of nlp-02-1 is ticked and marked; everything else is the seed, line for line
    stale = "- [x] Classic sinusoidal *(stale: passed under older tests)*"
    assert got[want.index("- [ ] Classic sinusoidal")] == stale
    got[got.index(stale)] = "- [ ] Classic sinusoidal"
    assert got == want
    assert out.stdout.endswith("\n") and sum(ln.startswith("- [x]") for ln in got) == 3


def test_section_export_is_that_section_alone(wb):
    out = wb.grader("export", "--section", "nlp-03")
    assert out.returncode == 0, out.stderr
    assert out.stdout == ("## Self-Attention & Multihead Attention\n"
                          "- [x] hand-wire dot-product attention for one token\n"
                          "- [ ] scale to multi-head, plot per-head weight heatmaps\n"
                          "- [ ] mask out future tokens, verify causal property\n")


def test_whole_curriculum_has_every_checkbox_in_order(wb):
    out = wb.grader("export")
    assert out.returncode == 0, out.stderr
    items = [ln for ln in out.stdout.splitlines() if ln.startswith("- [")]
    assert len(items) == 442
    headings = [ln for ln in out.stdout.splitlines() if ln.startswith("# ")]
    assert headings[0] == "# Complete NLP Implementation Curriculum for Research Scientists"
    assert headings[1] == "# Mathematical & numerical foundations" and len(headings) == 10


def test_json_and_csv_rows_agree_with_progress(wb):
    rows = json.loads(wb.grader("export", "--format", "json", "--track", "nlp").stdout)
    assert len(rows) == 148
    by_id = {r["id"]: r for r in rows}
    assert {r["id"] for r in rows if r["checked"]} == {*PASSED, "nlp-02-1"}
    assert by_id["nlp-02-1"]["status"] == "stale" and by_id["nlp-03-2"]["status"] == "failing"
    assert by_id["nlp-05-1"] == {"id": "nlp-05-1", "track": "nlp", "section": "nlp-05",
                                 "section_title": "Sampling Parameters: temp/top-k/top-p",
                                 "title": "code a sampler dashboard — interactively tune temp/k/p and sample outputs",
                                 "kata": False, "status": "todo", "checked": False}
    table = list(csv.DictReader(io.StringIO(wb.grader("export", "--format", "csv", "--track", "nlp").stdout)))
    assert [r["id"] for r in table] == [r["id"] for r in rows]
    assert {r["id"] for r in table if r["checked"] == "True"} == {*PASSED, "nlp-02-1"}


def test_out_file_is_written_and_bad_input_is_one_line(wb, tmp_path):
    note = tmp_path / "note.md"
    out = wb.grader("export", "--track", "nlp", "--out", str(note))
    assert out.returncode == 0 and out.stdout == "" and "148 checkboxes (4 ticked)" in out.stderr
    assert note.read_text(encoding="utf-8") == wb.grader("export", "--track", "nlp").stdout
    for args, message in ((["--track", "nope"], "unknown track 'nope'"),
                          (["--section", "nlp-99"], "unknown section 'nlp-99'"),
                          (["--track", "ml", "--section", "nlp-03"], "not in track ml"),
                          (["--out", str(tmp_path)], "is a directory")):
        bad = wb.grader("export", *args)
        assert bad.returncode == 2, (args, bad)
        assert message in bad.stderr and bad.stderr.count("\n") == 1 and bad.stdout == ""
    bad = wb.grader("export", "--format", "yaml")
    assert bad.returncode == 2 and "invalid choice" in bad.stderr


def test_unparseable_progress_is_an_error_and_nothing_is_overwritten(tmp_path):
    wb = journey_workbook(tmp_path / "wb", ["nlp-02-1"])
    broken = '[katas."nlp-02-1"]\nstatus = "passed"\nattempts = [\n'
    wb.progress.write_text(broken)
    note = tmp_path / "note.md"
    note.write_text("my own note\n")
    out = wb.grader("export", "--out", str(note))
    assert out.returncode == 1 and "not valid TOML" in out.stderr and "line" in out.stderr
    assert out.stderr.count("\n") == 1 and "Traceback" not in out.stderr
    assert note.read_text() == "my own note\n" and wb.progress.read_text() == broken
    assert not list(tmp_path.glob(".note.md.*"))


def test_export_imports_neither_torch_nor_numpy():
    code = ("import sys; from grader.commands.cli import main; main(['export', '--format', 'json']); "
            "heavy = [m for m in sys.modules if m.split('.')[0] in ('torch', 'numpy', 'hypothesis', 'pytest', '_kata')]; "
            "print('HEAVY', heavy, file=sys.stderr)")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True,
                         env={"GRADER_PROGRESS": str(REPO / "tests" / "fixtures" / "none.toml"), "PATH": ""})
    assert "HEAVY []" in out.stderr, out.stderr[-2000:]
