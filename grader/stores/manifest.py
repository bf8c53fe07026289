"""The shipped fingerprints of every kata (`grader/fingerprints.json`): its tests and its stub.

`grader verify` refreshes it; `grader check` compares the learner's copy of the tests against it,
so a pass is only recorded for the tests the workbook shipped, and a pass earned under older tests
shows as stale. `grader reset` finds the shipped stub in git history by its fingerprint.
"""
from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from grader.discovery import paths
from grader.discovery.catalog import Kata
from grader.stores import fingerprint


def manifest_file() -> Path:
    return paths.root() / "grader" / "fingerprints.json"


@cache
def _data() -> dict[str, dict[str, str]]:
    try:
        data = json.loads(manifest_file().read_text(encoding="utf-8"))
        return {k: v for k, v in data.items() if isinstance(v, dict)}
    except (OSError, ValueError):
        return {}


def shipped() -> dict[str, str]:
    """Kata id → fingerprint of its shipped test files."""
    return {k: v["tests"] for k, v in _data().items() if "tests" in v}


def shipped_stub(kata_id: str) -> str | None:
    return _data().get(kata_id, {}).get("stub")


def current(kata: Kata) -> str:
    return fingerprint.of_files(kata.test_files)


def tests_modified(kata: Kata, current_fp: str | None = None) -> bool:
    want = shipped().get(kata.id)
    return want is not None and want != (current_fp or current(kata))


def refresh(katas: list[Kata]) -> bool:
    """Rewrite the manifest entries of `katas`; returns whether anything changed."""
    data = dict(_data())
    for k in katas:
        data[k.id] = {"tests": current(k), "stub": fingerprint.of_bytes(k.stub.read_bytes())}
    new = json.dumps(dict(sorted(data.items())), indent=1) + "\n"
    path = manifest_file()
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    if new != old:
        path.write_text(new, encoding="utf-8")
        _data.cache_clear()
    return new != old
