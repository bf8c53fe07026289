"""`grader review`: spaced repetition for code (issue 22, part 3)."""
import datetime as dt
import json
import shutil
import tomllib

import pytest
from journey_copy import entry, write_progress
from workbook_copy import EXEMPLAR, make_workbook

from grader.stores import reviews

UTC = dt.UTC
PASSED_ON = dt.datetime(2026, 11, 1, 9, 0, tzinfo=UTC)


# ------------------------------------------------------------------ the schedule
def test_a_pass_comes_due_after_the_first_interval():
    e = {"status": "passed", "first_passed": PASSED_ON}
    s = reviews.schedule(e)
    assert s.due == PASSED_ON + dt.timedelta(days=reviews.FIRST_INTERVAL_DAYS) and s.interval == 3
    assert not reviews.is_due(e, PASSED_ON + dt.timedelta(days=2))
    assert reviews.is_due(e, PASSED_ON + dt.timedelta(days=3))
    assert reviews.schedule({"status": "failing", "first_passed": PASSED_ON}) is None
    assert reviews.schedule({"status": "passed"}) is None  # no date to start from


def test_intervals_grow_on_success_and_shrink_on_failure():
    now = PASSED_ON + dt.timedelta(days=3)
    e = {"status": "passed", "first_passed": PASSED_ON}
    intervals = []
    for _ in range(4):
        e = {**e, **reviews.after_review(e, True, now)}
        intervals.append(e["review_interval"])
        now = e["review_due"]
    assert intervals == sorted(intervals) and len(set(intervals)) == 4 and intervals[0] == 8  # 3 × 2.5 → 8
    assert e["review_ease"] == 2.9 and e["reviews"] == 4 and e["review_lapses"] == 0
    failed = {**e, **reviews.after_review(e, False, now)}
    assert failed["review_interval"] == e["review_interval"] // 2 and failed["review_ease"] == 2.7
    assert failed["review_lapses"] == 1 and failed["last_review_result"] == "failing"
    low = {"status": "passed", "first_passed": PASSED_ON, "review_interval": 1, "review_ease": 1.3}
    worst = reviews.after_review(low, False, now)
    assert worst["review_interval"] == 1 and worst["review_ease"] == 1.3


def test_garbage_review_keys_fall_back_to_defaults():
    e = {"status": "passed", "first_passed": PASSED_ON, "review_interval": "x", "review_ease": -4,
         "reviews": [1], "review_due": "soon"}
    s = reviews.schedule(e)
    assert (s.interval, s.ease, s.reviews) == (3, 2.5, 0) and s.due == PASSED_ON + dt.timedelta(days=3)


# ------------------------------------------------------------------ through the CLI
@pytest.fixture
def solved(tmp_path):
    """A git-tracked workbook copy whose exemplar kata the learner has solved and passed on 1 November."""
    wb = make_workbook(tmp_path / "wb", [EXEMPLAR], git=True)
    wb.solve()
    write_progress(wb.progress, {"nlp-02-1": entry(root=wb.root, kata_id="nlp-02-1", attempts=2,
                                                   first_passed=PASSED_ON, tests_passed=7, tests_total=7)})
    return wb


def grader_at(wb, when: str, *args: str):
    wb_env = wb.env
    import subprocess
    import sys
    return subprocess.run([sys.executable, "-m", "grader", *args], cwd=wb.root, env={**wb_env, "GRADER_NOW": when},
                          capture_output=True, text=True, timeout=300)


def test_review_round_trip_never_touches_the_solution(solved):
    wb = solved
    stub = wb.kata() / "sinusoidal.py"
    solution_text = stub.read_text()
    early = grader_at(wb, "2026-11-02T09:00:00", "review", "--json")
    assert [r["is_due"] for r in json.loads(early.stdout)] == [False]
    assert "none due; the next falls due on 2026-11-04" in grader_at(wb, "2026-11-02T09:00:00", "status").stdout
    listed = grader_at(wb, "2026-11-10T09:00:00", "review")
    assert listed.returncode == 0 and "1 review due" in listed.stdout and "due 6 days ago" in listed.stdout
    assert "Start one: grader review nlp-02-1" in listed.stdout
    status = grader_at(wb, "2026-11-10T09:00:00", "status")
    assert "Reviews: 1 due (nlp-02-1): grader review" in status.stdout
    assert json.loads(grader_at(wb, "2026-11-10T09:00:00", "status", "--json").stdout)["reviews_due"] == 1

    started = grader_at(wb, "2026-11-10T09:00:00", "review", "nlp-02-1")
    assert started.returncode == 0, started.stderr
    practice = wb.root / "practice" / "nlp-02-1" / "sinusoidal.py"
    assert "practice/nlp-02-1/sinusoidal.py" in started.stdout
    assert "NotImplementedError" in practice.read_text() and stub.read_text() == solution_text
    # the untouched stub fails: a lapse, the interval shrinks, the kata stays passed
    failed = grader_at(wb, "2026-11-10T09:00:00", "review", "nlp-02-1", "--check")
    assert failed.returncode == 1 and "not implemented yet" in failed.stdout
    assert "Review recorded: not yet" in failed.stdout and "in 1 day (2026-11-11)" in failed.stdout
    e = tomllib.loads(wb.progress.read_text())["katas"]["nlp-02-1"]
    assert e["status"] == "passed" and e["attempts"] == 2 and e["review_lapses"] == 1 and e["review_interval"] == 1
    assert e["last_review_result"] == "failing" and e["review_due"] == dt.datetime(2026, 11, 11, 9, 0, tzinfo=UTC)
    # a review under way is kept; writing it from memory (here: the reference) passes and the interval grows
    shutil.copy(wb.solution() / "sinusoidal.py", practice)
    again = grader_at(wb, "2026-11-11T10:00:00", "review", "nlp-02-1")
    assert "under way" in again.stdout and practice.read_text() == solution_text
    passed = grader_at(wb, "2026-11-11T10:00:00", "review", "nlp-02-1", "--check")
    assert passed.returncode == 0, passed.stdout + passed.stderr
    assert "Review recorded: passed. Next review in 2 days (2026-11-13)" in passed.stdout
    e = tomllib.loads(wb.progress.read_text())["katas"]["nlp-02-1"]
    assert e["reviews"] == 2 and e["review_lapses"] == 1 and e["review_interval"] == 2 and e["review_ease"] == 2.4
    assert e["tests_passed"] == 7 and e["first_passed"] == PASSED_ON and stub.read_text() == solution_text
    # the next review starts from a fresh stub again, and --fresh starts over at any time
    grader_at(wb, "2026-11-13T10:00:00", "review", "nlp-02-1")
    assert "NotImplementedError" in practice.read_text()
    practice.write_text("# half-way\n")
    grader_at(wb, "2026-11-13T10:00:00", "review", "nlp-02-1", "--fresh")
    assert "NotImplementedError" in practice.read_text()


def test_review_bad_input(solved, tmp_path):
    wb = solved
    for args, status, message in (
        (["review", "sinusodial"], 2, "did you mean nlp-02-1"),
        (["review", "--check"], 2, "name the kata to review"),
        (["review", "nlp-02-1", "--check"], 1, "no review of nlp-02-1 under way"),
    ):
        out = grader_at(wb, "2026-11-10T09:00:00", *args)
        assert out.returncode == status and message in out.stderr, (args, out)
        assert out.stderr.count("\n") == 1 and "Traceback" not in out.stderr
    bad_clock = grader_at(wb, "next tuesday", "review")
    assert bad_clock.returncode == 2 and "GRADER_NOW" in bad_clock.stderr
    write_progress(wb.progress, {"nlp-02-1": entry("failing")})
    out = grader_at(wb, "2026-11-10T09:00:00", "review", "nlp-02-1")
    assert out.returncode == 1 and "has not passed yet" in out.stderr
    assert "Nothing to review yet" in grader_at(wb, "2026-11-10T09:00:00", "review").stdout
    broken = '[katas."nlp-02-1"]\nstatus = "passed"\nattempts = [\n'
    wb.progress.write_text(broken)
    for args in (["review", "nlp-02-1"], ["review", "nlp-02-1", "--check"], ["review"]):
        out = grader_at(wb, "2026-11-10T09:00:00", *args)
        assert out.returncode == 1 and "not valid TOML" in out.stderr and out.stderr.count("\n") == 1, (args, out)
    assert wb.progress.read_text() == broken
    assert not (wb.root / "practice").exists()
