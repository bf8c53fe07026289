"""The mutation ledger (`grader/mutation.json`): the last `grader verify --mutants` verdict of every kata.

A full mutation run takes far longer than CI can spend, so each author's run records its verdict
here, keyed by a fingerprint of everything that decides it: the solution, the stub (which says what
is mutated), the tests, `kata.toml` (the recorded equivalents) and the mutation operators. The
workbook's own tests then check that every kata has an entry for its current files with no
unexplained survivor, and re-run a sample to check the entries are honest.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from grader.discovery import paths
from grader.discovery.catalog import Kata


def ledger_file() -> Path:
    return paths.root() / "grader" / "mutation.json"


def _operators_file() -> Path:
    return Path(__file__).resolve().parent.parent / "authoring" / "mutants.py"


def _digest(parts: list[tuple[str, bytes]]) -> str:
    h = hashlib.sha256()
    for label, data in parts:
        h.update(label.encode() + b"\0" + data.replace(b"\r\n", b"\n") + b"\0")
    return "sha256:" + h.hexdigest()[:32]


def operators_fingerprint() -> str:
    return _digest([("mutants.py", _operators_file().read_bytes())])


def inputs_fingerprint(kata: Kata) -> str:
    """Everything a kata's mutation verdict depends on, besides the operators."""
    files = [("solution", kata.solution), ("stub", kata.stub), ("kata.toml", kata.folder / "kata.toml")]
    files += [(f"test:{t.name}", t) for t in kata.test_files]
    return _digest([(label, p.read_bytes() if p.exists() else b"<missing>") for label, p in files])


def load() -> dict[str, Any]:
    try:
        data = json.loads(ledger_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {"operators": "", "katas": {}}
    if not isinstance(data, dict) or not isinstance(data.get("katas"), dict):
        return {"operators": "", "katas": {}}
    return data


def entry(kata: Kata, mutants: int, killed: int, equivalent: int, survivors: list[str],
          inputs: str | None = None) -> dict[str, Any]:
    """A ledger entry; `inputs` is the fingerprint taken when the run started (default: now)."""
    return {"inputs": inputs or inputs_fingerprint(kata), "mutants": mutants, "killed": killed,
            "equivalent": equivalent, "survivors": sorted(survivors)}


def record(entries: dict[str, dict[str, Any]]) -> bool:
    """Write the entries of the katas just judged (others are kept); returns whether the file changed.

    Entries judged under other operators than the current ones are dropped: they no longer say
    anything about the tests.
    """
    from filelock import FileLock  # authors' runs may record side by side

    path = ledger_file()
    with FileLock(str(path) + ".lock", timeout=60):
        data = load()
        ops = operators_fingerprint()
        katas = data["katas"] if data.get("operators") == ops else {}
        katas.update(entries)
        new = json.dumps({"operators": ops, "katas": dict(sorted(katas.items()))}, indent=1) + "\n"
        old = path.read_text(encoding="utf-8") if path.exists() else ""
        if new != old:
            tmp = path.with_suffix(".json.tmp")
            tmp.write_text(new, encoding="utf-8")
            tmp.replace(path)
    return new != old


def problems_by_kata(katas: list[Kata]) -> dict[str, str]:
    """Kata id -> why the ledger does not vouch for it (a missing or stale entry, or a survivor).

    Katas it vouches for are absent. The ledger and the operators are read once for all katas.
    """
    data = load()
    if data.get("operators") != operators_fingerprint():
        why = "the mutation operators changed since the ledger was written: run `grader verify --mutants`"
        return {k.id: why for k in katas}
    out = {}
    for k in katas:
        e = data["katas"].get(k.id)
        if e is None:
            out[k.id] = f"{k.id}: never mutation-tested: run `grader verify --mutants {k.id}`"
        elif e.get("inputs") != inputs_fingerprint(k):
            out[k.id] = (f"{k.id}: its solution, stub, tests or kata.toml changed since its mutation run: "
                         f"run `grader verify --mutants {k.id}`")
        elif e.get("survivors"):
            out[k.id] = f"{k.id}: unexplained survivors {', '.join(e['survivors'])}"
    return out


def problems(katas: list[Kata]) -> list[str]:
    """Why the ledger does not vouch for these katas, one line each (none when it vouches for all)."""
    return list(dict.fromkeys(problems_by_kata(katas).values()))  # a changed-operators line is said once
