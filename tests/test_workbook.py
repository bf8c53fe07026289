"""The proof over the real workbook: every kata sound, fingerprints current, no committed progress."""
import json
import os
import subprocess
import sys
import tomllib

from workbook_copy import REPO

from grader.discovery import catalog
from grader.stores import manifest


def test_every_kata_is_sound(tmp_path):
    """`grader verify` over the whole workbook: stub fails, solution passes in budget, pitfalls caught."""
    env = {k: v for k, v in os.environ.items() if k not in ("GRADER_ROOT",)}
    env["GRADER_PROGRESS"] = str(tmp_path / "progress.toml")
    # Budget overruns up to 2x are warnings here, breaches beyond: CPU time still grows when other
    # processes share the machine (cache and memory-bandwidth contention), and CI must not fail
    # because the machine was busy. Authors' own `grader verify KATA` keeps the strict 1x budget.
    out = subprocess.run([sys.executable, "-m", "grader", "verify", "-n", str(min(2, os.cpu_count() or 1)),
                          "--no-refresh", "--budget-tolerance", "2", "--json", str(tmp_path / "v.json")], cwd=REPO, env=env,
                         capture_output=True, text=True, timeout=3600)
    print(out.stdout)
    verdicts = json.loads((tmp_path / "v.json").read_text())
    assert len(verdicts) == len(catalog.discover())
    assert out.returncode == 0, out.stdout[-4000:] + out.stderr[-2000:]
    assert not (tmp_path / "progress.toml").exists(), "verification recorded progress"


def test_fingerprints_are_current():
    """A kata's tests changed without `grader verify` refreshing grader/fingerprints.json."""
    stale = [k.id for k in catalog.discover() if manifest.shipped().get(k.id) != manifest.current(k)]
    assert not stale, f"run `grader verify {' '.join(stale)}` to refresh grader/fingerprints.json"


def test_committed_progress_is_the_learners_empty_starting_state():
    shown = subprocess.run(["git", "show", ":progress.toml"], cwd=REPO, capture_output=True, text=True)
    text = shown.stdout if shown.returncode == 0 else (REPO / "progress.toml").read_text()
    assert tomllib.loads(text).get("katas", {}) == {}, "a developer's own progress is committed in progress.toml"
