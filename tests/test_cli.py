"""The `grader` command's output and its handling of bad input."""
import json
import subprocess
import sys

from workbook_copy import REPO, make_workbook


def test_status_shows_tracks_next_and_hardware(workbook):
    out = workbook.grader("status")
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert "0/442 checkboxes passed" in text and "1 katas written" in text
    for track in ("nlp", "found", "ml", "dsa", "dl", "arch", "ret", "rl", "sys", "prod"):
        assert f"\n  {track} " in text
    assert "Next: nlp-02-1" in text and "grader check nlp-02-1" in text
    assert "Hardware:" in text and "TRITON_INTERPRET=1" in text


def test_status_json(workbook):
    data = json.loads(workbook.grader("status", "--json").stdout)
    assert data["checkboxes"] == 442 and data["katas"] == 1 and data["passed"] == 0
    assert data["next"]["id"] == "nlp-02-1"
    assert {r["track"] for r in data["tracks"]} >= {"nlp", "rl", "sys"}


def test_status_imports_neither_torch_nor_numpy_nor_katas():
    code = ("import sys; from grader.commands.cli import main; main(['status']); "
            "heavy = [m for m in sys.modules if m.split('.')[0] in ('torch', 'numpy', 'hypothesis', 'pytest', '_kata')]; "
            "print('HEAVY', heavy)")
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True)
    assert "HEAVY []" in out.stdout, out.stdout + out.stderr


def test_list_json_fields(workbook):
    out = workbook.grader("list", "--json")
    records = json.loads(out.stdout)
    assert len(records) == 1
    r = records[0]
    for key in ("id", "checkbox", "title", "track", "section", "path", "solution", "status"):
        assert key in r
    assert r["id"] == r["checkbox"] == "nlp-02-1" and r["section"] == "nlp-02" and r["status"] == "todo"
    assert r["path"] == "katas/nlp/02_positional_embeddings/01_sinusoidal"
    assert r["solution"] == "solutions/nlp/02_positional_embeddings/01_sinusoidal/sinusoidal.py"


def test_list_filters(workbook):
    assert json.loads(workbook.grader("list", "--track", "rl", "--json").stdout) == []
    assert len(json.loads(workbook.grader("list", "--todo", "--json").stdout)) == 1
    assert json.loads(workbook.grader("list", "--done", "--json").stdout) == []
    bad = workbook.grader("list", "--track", "nope")
    assert bad.returncode == 2 and "unknown track" in bad.stderr


def test_unknown_kata_is_one_line_with_suggestions_and_status_2(workbook):
    for cmd in ("check", "hint", "solution", "reset"):
        out = workbook.grader(cmd, "sinusodial")
        assert out.returncode == 2, (cmd, out)
        assert out.stderr.count("\n") == 1 and "Traceback" not in out.stderr and "internal error" not in out.stderr
        assert "did you mean nlp-02-1" in out.stderr


def test_next_shows_summary_and_paths(workbook):
    out = workbook.grader("next")
    assert "nlp-02-1" in out.stdout and "Build the fixed sine/cosine" in out.stdout
    assert "katas/nlp/02_positional_embeddings/01_sinusoidal/sinusoidal.py" in out.stdout


def test_hints_one_at_a_time(workbook):
    first = workbook.grader("hint", "nlp-02-1")
    assert "hint 1 of 3" in first.stdout and "grader hint nlp-02-1 2" in first.stdout
    third = workbook.grader("hint", "nlp-02-1", "3")
    assert "hint 3 of 3" in third.stdout and "Still stuck" not in third.stdout
    assert workbook.grader("hint", "nlp-02-1", "9").returncode == 2


def test_solution_needs_reveal_before_passing_and_records_it(workbook):
    out = workbook.grader("solution", "nlp-02-1")
    assert out.returncode == 1 and "--reveal" in out.stderr and "def " not in out.stdout
    out = workbook.grader("solution", "nlp-02-1", "--reveal")
    assert out.returncode == 0 and "def sinusoidal_positions" in out.stdout
    assert "revealed = " in workbook.progress.read_text()


def test_corrupted_progress_is_reported_with_its_line_and_left_alone(workbook):
    bad = "[katas.nlp-02-1]\nstatus = 'passed'\nattempts = [\n"
    workbook.progress.write_text(bad)
    out = workbook.grader("status")
    assert out.returncode == 1 and "line" in out.stderr and "Traceback" not in out.stderr and "internal error" not in out.stderr
    assert "0/442" in out.stdout  # still shows what it can
    out = workbook.grader("check", "nlp-02-1")
    assert out.returncode == 1 and "not recorded" in out.stderr and "Traceback" not in out.stderr and "internal error" not in out.stderr
    assert workbook.progress.read_text() == bad


def test_reset_restores_the_shipped_stub_and_keeps_a_backup(tmp_path):
    from workbook_copy import EXEMPLAR

    wb = make_workbook(tmp_path / "wb", [EXEMPLAR], git=True)
    stub = wb.kata() / "sinusoidal.py"
    original = stub.read_text()
    stub.write_text("# my attempt\n")
    assert wb.grader("reset", "nlp-02-1").returncode == 2  # no terminal, no --yes: asks for confirmation
    out = wb.grader("reset", "nlp-02-1", "--yes")
    assert out.returncode == 0, out.stderr
    assert stub.read_text() == original
    backups = list(wb.kata().glob("sinusoidal.py.grader-backup-*"))
    assert len(backups) == 1 and backups[0].read_text() == "# my attempt\n"
