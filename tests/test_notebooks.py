"""Katas as nbgrader notebooks, proven end to end with nbgrader's own command line and Gradebook API.

For a numpy kata, a torch kata and a Triton kata: build the course; `nbgrader generate_assignment`;
no solution text or hidden test survives in release/; `nbgrader autograde` submissions and read
the scores back: the untouched stub scores 0, the reference full marks, each pitfall exactly what
its failing tests leave, an edited locked test cell is restored, a deleted grade cell gives nothing.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

# The dev install brings nbgrader; without it these tests must fail, not quietly skip.
import nbgrader  # noqa: E402,F401
import pytest
from workbook_copy import EXEMPLAR, REPO, make_workbook

KATAS = {  # kata id -> folder; one per kind of kata
    "ml-08-3": "ml/08_gradient_descent_variants/03_adam_adamw",
    "nlp-02-1": EXEMPLAR,
    "sys-01-2": "sys/01_gpu_programming_triton/02_fused_softmax",
}
MAX_PITFALLS = 2  # per kata: each autograded notebook costs a kernel start and its imports
HIDDEN_TEST = '''

@pytest.mark.hidden
@pytest.mark.points(2)
def test_hidden_first_row_is_zero_one(kata):
    pe = kata.sinusoidal_positions(3, 4)
    assert pe[0].tolist() == [0.0, 1.0, 0.0, 1.0], "SECRET-HIDDEN-MARKER"
'''


def _run(cmd: list[str], cwd: Path, env: dict) -> subprocess.CompletedProcess:
    out = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=1800)
    assert out.returncode == 0, f"{' '.join(cmd)} failed:\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}"
    return out


def _grade_cells(nb: dict) -> list[dict]:
    return [c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("grade")]


def _solution_cell(nb: dict) -> dict:
    return next(c for c in nb["cells"] if c["metadata"].get("nbgrader", {}).get("solution"))


def _pitfall_notebook(source_nb: dict, pitfalls_src: str, name: str, replaces: str) -> dict:
    nb = json.loads(json.dumps(source_nb))
    cell = _solution_cell(nb)
    cell["source"] = "".join(cell["source"]) + "\n\n" + pitfalls_src + f"\n\n{replaces} = {name}\n"
    return nb


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    mp = pytest.MonkeyPatch()
    try:
        yield _course(tmp_path_factory, mp)
    finally:
        mp.undo()


def _course(tmp_path_factory, mp):
    present = {k: rel for k, rel in KATAS.items() if (REPO / "katas" / rel).is_dir()}
    assert len(present) >= 2, "the round trip needs katas of different kinds"
    root = tmp_path_factory.mktemp("nb")
    wb = make_workbook(root / "wb", list(present.values()))
    mp.setenv("GRADER_ROOT", str(wb.root))  # for reading the copied katas in this process
    (wb.kata() / "test_sinusoidal.py").write_text((wb.kata() / "test_sinusoidal.py").read_text() + HIDDEN_TEST)
    env = {**wb.env, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    out_dir = root / "course"
    start = time.perf_counter()
    _run([sys.executable, "-m", "grader", "notebooks", *present, "--out", str(out_dir)], wb.root, env)
    assignments = sorted(p.name for p in (out_dir / "source").iterdir())
    for a in assignments:
        _run([sys.executable, "-m", "nbgrader", "generate_assignment", a, "--force"], out_dir, env)

    # Submissions: one student per kind of notebook.
    from grader import pitfalls
    from grader.discovery import catalog
    expected: dict[tuple[str, str], dict[str, float]] = {}  # (student, kata) -> grade_id -> points
    import shutil
    katas = {k.id: k for k in catalog.discover()}
    for kata_id in present:
        k = katas[kata_id]
        section = k.checkbox.section
        name = next((out_dir / "source" / section).glob(f"{kata_id}_*.ipynb")).name
        source = json.loads((out_dir / "source" / section / name).read_text())
        release = json.loads((out_dir / "release" / section / name).read_text())
        subs = {"stub": release, "reference": source}
        tampered = json.loads(json.dumps(release))
        for c in _grade_cells(tampered):
            c["source"] = "pass"
        subs["tampered"] = tampered
        deleted = json.loads(json.dumps(source))
        first_grade = _grade_cells(deleted)[0]["metadata"]["nbgrader"]["grade_id"]
        deleted["cells"] = [c for c in deleted["cells"] if c["metadata"].get("nbgrader", {}).get("grade_id") != first_grade]
        subs["deleted"] = deleted
        for p in pitfalls.declared(k.pitfalls_file)[:MAX_PITFALLS]:
            subs[f"pitfall-{p.name}"] = _pitfall_notebook(source, k.pitfalls_file.read_text(), p.name, p.replaces)
        for student, nb in subs.items():
            dest = out_dir / "submitted" / student / section / name
            dest.parent.mkdir(parents=True, exist_ok=True)
            dest.write_text(json.dumps(nb))
        # Copy the other notebooks of the section so every submission is complete.
        for student in subs:
            for other in (out_dir / "release" / section).glob("*.ipynb"):
                target = out_dir / "submitted" / student / section / other.name
                if not target.exists():
                    shutil.copy(other, target)
        expected[("meta", kata_id)] = {"section": section, "notebook": name[:-6], "deleted": first_grade,
                                       "pitfalls": [p for p in pitfalls.declared(k.pitfalls_file)[:MAX_PITFALLS]]}
    n_notebooks = sum(1 for _ in (out_dir / "submitted").glob("*/*/*.ipynb"))
    start_grade = time.perf_counter()
    for a in assignments:
        _run([sys.executable, "-m", "nbgrader", "autograde", a, "--force"], out_dir, env)
    grading = time.perf_counter() - start_grade
    print(f"\nround trip: {time.perf_counter() - start:.1f} s in all; autograde {grading:.1f} s for {n_notebooks} "
          f"submitted notebooks ({grading / n_notebooks:.2f} s each)")
    return {"dir": out_dir, "wb": wb, "env": env, "present": present, "expected": expected}


def _scores(course: dict, student: str, kata_id: str) -> dict[str, float]:
    from nbgrader.api import Gradebook

    meta = course["expected"][("meta", kata_id)]
    with Gradebook(f"sqlite:///{course['dir'] / 'gradebook.db'}") as gb:
        nb = gb.find_submission_notebook(meta["notebook"], meta["section"], student)
        return {g.name: g.score for g in nb.grades} | {"__total__": nb.score, "__max__": nb.max_score}


def test_release_has_no_solution_and_no_hidden_test(course):
    wb = course["wb"]
    for kata_id, rel in course["present"].items():
        stub = (wb.root / "katas" / rel)
        sol_dir = wb.root / "solutions" / rel
        meta = course["expected"][("meta", kata_id)]
        text = (course["dir"] / "release" / meta["section"] / f"{meta['notebook']}.ipynb").read_text()
        assert "BEGIN SOLUTION" not in text and "END SOLUTION" not in text
        assert "BEGIN HIDDEN TESTS" not in text and "SECRET-HIDDEN-MARKER" not in text
        # The code learners receive: every code cell (the README may quote a line in a hint).
        code = "\n".join("".join(c["source"]) for c in json.loads(text)["cells"] if c["cell_type"] == "code")
        stub_lines = {ln.strip() for f in stub.glob("*.py") for ln in f.read_text().splitlines()}
        for f in sol_dir.glob("*.py"):
            if f.name == "pitfalls.py":
                continue
            for ln in f.read_text().splitlines():
                ln = ln.strip()
                if len(ln) > 25 and ln not in stub_lines and not ln.startswith(("#", '"""')):
                    assert ln not in code, f"solution line survives in release: {ln}"


def test_untouched_stub_scores_zero(course):
    for kata_id in course["present"]:
        s = _scores(course, "stub", kata_id)
        assert s["__total__"] == 0 and s["__max__"] > 0, (kata_id, s)


def test_reference_solution_scores_full_marks(course):
    for kata_id in course["present"]:
        s = _scores(course, "reference", kata_id)
        assert s["__total__"] == s["__max__"] > 0, (kata_id, s)


def test_hidden_test_is_graded_with_its_points(course):
    s = _scores(course, "reference", "nlp-02-1")
    assert s["nlp-02-1-test-hidden-first-row-is-zero-one"] == 2.0


def test_each_pitfall_loses_exactly_its_failing_tests(course):
    """The notebook's grade for each test agrees with pytest on the same pitfall."""
    wb = course["wb"]
    for kata_id, rel in course["present"].items():
        for p in course["expected"][("meta", kata_id)]["pitfalls"]:
            s = _scores(course, f"pitfall-{p.name}", kata_id)
            assert 0 <= s["__total__"] < s["__max__"], (kata_id, p.name, s)
            report = wb.root / f"report-{kata_id}-{p.name}.json"
            subprocess.run([sys.executable, "-m", "pytest", f"katas/{rel}", "-q", "-p", "no:cacheprovider",
                            f"--grader-target=pitfall:{p.name}", "--grader-report", str(report),
                            "--grader-every-test", "--hypothesis-profile=verify"], cwd=wb.root, env=course["env"],
                           capture_output=True, timeout=600)
            failing = {f"{kata_id}-{t['nodeid'].split('::')[-1].split('[')[0]}".replace("_", "-")
                       for t in json.loads(report.read_text())["tests"] if t["outcome"] in ("failed", "error")}
            zero = {cell for cell, score in s.items() if not cell.startswith("__") and score == 0}
            assert failing, f"{kata_id} pitfall {p.name}: no test fails under pytest"
            # Both directions: every test pytest fails scores 0, and every cell scoring 0 is one pytest fails.
            assert zero == failing, (f"{kata_id} pitfall {p.name}: pytest fails {sorted(failing)}, "
                                     f"the notebook scored 0 on {sorted(zero)}")


def test_edited_locked_test_cells_are_restored(course):
    for kata_id in course["present"]:
        s = _scores(course, "tampered", kata_id)
        assert s["__total__"] == 0, (kata_id, s)  # restored tests fail on the stub, as the originals do


def test_deleted_grade_cell_grants_nothing(course):
    for kata_id in course["present"]:
        meta = course["expected"][("meta", kata_id)]
        s = _scores(course, "deleted", kata_id)
        assert s.get(meta["deleted"], 0) == 0, (kata_id, s)
        assert s["__total__"] < s["__max__"]


def test_whole_workbook_builds_a_course_nbgrader_accepts(tmp_path):
    env = {**os.environ, "GRADER_PROGRESS": str(tmp_path / "p.toml"),
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    env.pop("GRADER_ROOT", None)
    _run([sys.executable, "-m", "grader", "notebooks", "--out", str(tmp_path / "course")], REPO, env)
    for a in sorted(p.name for p in (tmp_path / "course" / "source").iterdir()):
        _run([sys.executable, "-m", "nbgrader", "generate_assignment", a, "--force"], tmp_path / "course", env)
    assert sorted(p.name for p in (tmp_path / "course" / "release").iterdir())


def test_learner_notebook_round_trip_through_grader_check(tmp_path):
    """Self-study: learner notebooks hold the stub; `grader check --notebook` grades and records them."""
    wb = make_workbook(tmp_path / "wb", [EXEMPLAR])
    out = tmp_path / "mine"
    _run([sys.executable, "-m", "grader", "notebooks", "nlp-02-1", "--learner", "--out", str(out)], wb.root, wb.env)
    path = next(out.glob("*/*.ipynb"))
    nb = json.loads(path.read_text())
    assert "BEGIN SOLUTION" not in path.read_text()
    first = subprocess.run([sys.executable, "-m", "grader", "check", "--notebook", str(path)], cwd=wb.root, env=wb.env,
                           capture_output=True, text=True, timeout=300)
    assert first.returncode == 1 and "not implemented yet" in first.stdout
    cell = next(c for c in nb["cells"] if c["metadata"]["grader"]["role"] == "solution")
    cell["source"] = (wb.solution() / "sinusoidal.py").read_text()
    path.write_text(json.dumps(nb))
    second = subprocess.run([sys.executable, "-m", "grader", "check", "--notebook", str(path)], cwd=wb.root,
                            env=wb.env, capture_output=True, text=True, timeout=300)
    assert second.returncode == 0, second.stdout + second.stderr
    import tomllib
    entry = tomllib.loads(wb.progress.read_text())["katas"]["nlp-02-1"]
    assert entry["status"] == "passed" and entry["attempts"] == 2
