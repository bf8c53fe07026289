"""The mutation ledger: every kata's tests kill every mutant of its solution, or say why they cannot.

A full `grader verify --mutants` run is too long for CI, so authors' runs record their verdicts in
`grader/mutation.json`, keyed by a fingerprint of the solution, stub, tests and kata.toml. These
tests check the ledger covers the workbook with current, survivor-free entries, and re-run a sample
to check that what it records is what the mutation checker finds.

Katas written before the checker existed and not yet mutation-tested are listed in
`tests/mutation_pending.txt`. The list may only shrink: a kata the ledger vouches for must leave it,
and a kata not on it (every new kata) must be in the ledger.
"""
import json
import os
import subprocess
import sys
from pathlib import Path

from workbook_copy import EXEMPLAR, REPO, Workbook

from grader.discovery import catalog
from grader.stores import mutation_ledger

PENDING_FILE = Path(__file__).with_name("mutation_pending.txt")
SAMPLE = 3  # ledger entries re-run per CI run
MAX_MUTANTS = 80


def pending() -> set[str]:
    lines = PENDING_FILE.read_text(encoding="utf-8").splitlines() if PENDING_FILE.exists() else []
    return {line.split("#")[0].strip() for line in lines} - {""}


def test_ledger_vouches_for_every_kata_not_pending():
    katas = [k for k in catalog.discover() if k.id not in pending()]
    problems = mutation_ledger.problems(katas)
    assert not problems, "\n".join(problems[:40]) + f"\n({len(problems)} in all)"


def test_pending_list_only_shrinks():
    ids = {k.id for k in catalog.discover()}
    unknown = sorted(pending() - ids)
    assert not unknown, f"tests/mutation_pending.txt names katas that do not exist: {unknown}"
    katas = [k for k in catalog.discover() if k.id in pending()]
    unvouched = mutation_ledger.problems_by_kata(katas)
    vouched = sorted(k.id for k in katas if k.id not in unvouched)
    assert not vouched, f"the ledger vouches for {vouched}: remove them from tests/mutation_pending.txt"


def test_ledger_entries_match_a_fresh_mutation_run(tmp_path):
    """Re-run a fixed sample of entries (spread across the ledger) and compare what was recorded."""
    entries = mutation_ledger.load()["katas"]
    by_id = catalog.by_id()
    unvouched = mutation_ledger.problems_by_kata(list(by_id.values()))
    # Only katas that are cheap to mutate, so the sample cannot grow into minutes as the ledger grows.
    clean = sorted(i for i in entries if i in by_id and i not in unvouched and entries[i]["mutants"] <= MAX_MUTANTS
                   and not any("mark.slow" in f.read_text(encoding="utf-8") for f in by_id[i].test_files))
    assert clean, "the ledger vouches for no kata"
    sample = clean[:: max(1, len(clean) // SAMPLE)][:SAMPLE]
    env = {k: v for k, v in os.environ.items() if k != "GRADER_ROOT"}
    env["GRADER_PROGRESS"] = str(tmp_path / "progress.toml")
    out = subprocess.run([sys.executable, "-m", "grader", "verify", "--mutants", "--no-refresh",
                          "--json", str(tmp_path / "m.json"), *sample], cwd=REPO, env=env,
                         capture_output=True, text=True, timeout=900)
    assert out.returncode == 0, out.stdout[-3000:] + out.stderr[-2000:]
    for v in json.loads((tmp_path / "m.json").read_text()):
        want = entries[v["id"]]
        got = {"mutants": v["mutants"], "killed": len(v["killed"]), "equivalent": len(v["equivalent"])}
        assert got == {k: want[k] for k in got}, f"{v['id']}: the ledger says {want}, a fresh run found {got}"


def test_verify_mutants_records_and_a_changed_test_makes_the_entry_stale(workbook: Workbook):
    ledger = workbook.root / "grader" / "mutation.json"
    out = workbook.grader("verify", "--mutants", "--no-refresh", "nlp-02-1", timeout=600)
    assert not ledger.exists(), "--no-refresh wrote the mutation ledger"
    out = workbook.grader("verify", "--mutants", "nlp-02-1", timeout=600)
    assert ledger.exists(), out.stdout + out.stderr
    entry = json.loads(ledger.read_text())["katas"]["nlp-02-1"]
    assert entry["mutants"] > 0 and entry["killed"] + entry["equivalent"] + len(entry["survivors"]) == entry["mutants"]

    def problems() -> list[str]:
        code = ("from grader.discovery import catalog; from grader.stores import mutation_ledger as m; "
                "print('\\n'.join(m.problems(catalog.discover())))")
        return subprocess.run([sys.executable, "-c", code], cwd=workbook.root, env=workbook.env,
                              capture_output=True, text=True, check=True).stdout.split("\n")

    # The frozen exemplar predates its kata's mutation pass, so survivors are listed: but nothing is stale.
    assert not any("changed since" in p for p in problems()), problems()
    test_file = next(workbook.kata(EXEMPLAR).glob("test_*.py"))
    test_file.write_text(test_file.read_text() + "\n# edited\n")
    assert any("changed since its mutation run" in p for p in problems()), problems()


def test_readme_table_is_computed_from_the_ledger():
    sys.path.insert(0, str(REPO / "tools"))
    import sync_mutation_ledger

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert sync_mutation_ledger.MARKERS[0] in readme, "README.md lost its mutation-table markers"
    assert readme == sync_mutation_ledger.readme_with_table(readme, catalog.discover()), (
        "README.md's mutation-score table is out of date: run `python tools/sync_mutation_ledger.py`")
