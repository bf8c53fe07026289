"""The progress store: atomic, locked, keeps what it does not know, never overwrites a bad file."""
import tomllib

import pytest

from grader.stores import progress
from grader.stores.progress import ProgressError, RunResult


def test_missing_file_is_empty_progress(tmp_path):
    assert progress.read(tmp_path / "progress.toml") == {}


def test_first_run_creates_a_table(tmp_path):
    path = tmp_path / "progress.toml"
    written = progress.update(path, {"nlp-02-1": RunResult(1, 2, fingerprint="sha256:x")})
    entry = progress.read(path)["nlp-02-1"]
    assert written == {"nlp-02-1": entry}
    assert entry["status"] == "failing"
    assert (entry["tests_passed"], entry["tests_total"], entry["attempts"]) == (1, 3, 1)
    assert "first_passed" not in entry and "last_run" in entry


def test_pass_sets_first_passed_once_and_counts_attempts(tmp_path):
    path = tmp_path / "progress.toml"
    progress.update(path, {"a-01-1": RunResult(0, 3)})
    progress.update(path, {"a-01-1": RunResult(3, 0, fingerprint="sha256:f")})
    first = progress.read(path)["a-01-1"]["first_passed"]
    progress.update(path, {"a-01-1": RunResult(3, 0, fingerprint="sha256:f")})
    entry = progress.read(path)["a-01-1"]
    assert entry["status"] == "passed" and entry["attempts"] == 3
    assert entry["first_passed"] == first and entry["fingerprint"] == "sha256:f"


@pytest.mark.parametrize("run", [RunResult(0, 0), RunResult(3, 0, crashed=True), RunResult(3, 0, tests_modified=True),
                                 RunResult(2, 1)])
def test_what_is_never_a_pass(run):
    assert not run.is_pass


def test_comments_and_unknown_keys_survive(tmp_path):
    path = tmp_path / "progress.toml"
    path.write_text('# my notes\n[katas.nlp-02-1]\nstatus = "failing"\nmood = "stuck" # honest\n\n[settings]\ntheme = "dark"\n')
    progress.update(path, {"nlp-02-1": RunResult(2, 0)})
    text = path.read_text()
    assert "# my notes" in text and 'mood = "stuck" # honest' in text and 'theme = "dark"' in text
    assert tomllib.loads(text)["katas"]["nlp-02-1"]["status"] == "passed"


def test_unparseable_file_is_never_overwritten(tmp_path):
    path = tmp_path / "progress.toml"
    bad = '[katas.nlp-02-1]\nstatus = "passed"\nattempts = = 3\n'
    path.write_text(bad)
    with pytest.raises(ProgressError, match="line 3"):
        progress.read(path)
    with pytest.raises(ProgressError, match="line 3"):
        progress.update(path, {"nlp-02-1": RunResult(1, 0)})
    assert path.read_text() == bad


def test_previous_good_version_is_kept_as_backup(tmp_path):
    path = tmp_path / "progress.toml"
    progress.update(path, {"a-01-1": RunResult(0, 1)})
    before = path.read_text()
    progress.update(path, {"a-01-1": RunResult(1, 0)})
    assert (tmp_path / "progress.toml.bak").read_text() == before
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_status_of_wrong_types_is_todo():
    assert progress.status_of({"status": 5}) == "todo"
    assert progress.status_of(None) == "todo"
