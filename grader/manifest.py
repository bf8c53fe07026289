"""The shipped fingerprints of every kata's tests (`grader/fingerprints.json`).

`grader verify` refreshes it; `grader check` compares the learner's copy against it, so a pass is
only recorded for the tests the workbook shipped, and a pass earned under older tests shows as stale.
"""
from __future__ import annotations

import json
from functools import cache

from grader import fingerprint
from grader.catalog import Kata
from grader.paths import PACKAGE

MANIFEST = PACKAGE / "fingerprints.json"


@cache
def shipped() -> dict[str, str]:
    try:
        return json.loads(MANIFEST.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def current(kata: Kata) -> str:
    return fingerprint.of_files(kata.test_files)


def tests_modified(kata: Kata, current_fp: str | None = None) -> bool:
    want = shipped().get(kata.id)
    return want is not None and want != (current_fp or current(kata))


def refresh(katas: list[Kata]) -> bool:
    """Rewrite the manifest for `katas`; returns whether anything changed."""
    data = dict(shipped())
    for k in katas:
        data[k.id] = current(k)
    new = json.dumps(dict(sorted(data.items())), indent=1) + "\n"
    old = MANIFEST.read_text(encoding="utf-8") if MANIFEST.exists() else ""
    if new != old:
        MANIFEST.write_text(new, encoding="utf-8")
        shipped.cache_clear()
    return new != old
