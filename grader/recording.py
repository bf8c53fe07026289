"""Turning a learner's pytest session into per-kata results in progress.toml."""
from __future__ import annotations

from collections import defaultdict

import pytest

from grader import manifest, paths, progress
from grader.catalog import by_id


def _partial_selection(config: pytest.Config) -> bool:
    """Whether the session ran a chosen subset of tests, which cannot earn (or lose) a pass."""
    opt = config.option
    if getattr(opt, "keyword", "") or getattr(opt, "markexpr", "") or getattr(opt, "deselect", None):
        return True
    if getattr(opt, "lf", False):  # --lf runs only last time's failures (--ff merely reorders)
        return True
    return any("::" in str(a) for a in config.args)


def results_by_kata(tests: list[dict], collect_errors: dict[str, str]) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {"passed": 0, "failed": 0, "skipped": 0})
    for t in tests:
        if "kata" in t:
            key = {"passed": "passed", "skipped": "skipped"}.get(t["outcome"], "failed")
            counts[t["kata"]][key] += 1
    for kata_id in collect_errors:
        counts[kata_id]["failed"] += 1
    return counts


def record_session(config: pytest.Config, tests: list[dict], collect_errors: dict[str, str],
                   collected: dict[str, int]) -> None:
    counts = results_by_kata(tests, collect_errors)
    if not counts:
        return
    tr = config.pluginmanager.get_plugin("terminalreporter")
    say = (lambda line: tr.write_line(line)) if tr else print
    if _partial_selection(config) or any(collected.get(k, c["passed"] + c["failed"] + c["skipped"]) >
                                         c["passed"] + c["failed"] + c["skipped"] for k, c in counts.items()):
        say("grader: only some tests of the kata ran, so progress.toml was not updated (run the whole kata to record)")
        return
    katas = by_id()
    runs = {}
    for kata_id, c in counts.items():
        kata = katas.get(kata_id)
        if kata is None:
            continue
        fp = manifest.current(kata)
        runs[kata_id] = progress.RunResult(c["passed"], c["failed"], c["skipped"], fp,
                                           tests_modified=manifest.tests_modified(kata, fp))
    path = paths.progress_file()
    try:
        progress.update(path, runs)
    except progress.ProgressError as e:
        say(f"grader: progress not recorded: {e}")
        return
    for kata_id, run in runs.items():
        status = "passed" if run.is_pass else "failing"
        note = " (your copy of its tests differs from the shipped ones, so no pass is recorded)" if run.tests_modified else ""
        say(f"grader: {kata_id} recorded as {status} ({run.passed}/{run.total} tests) in {paths.relative(path)}{note}")
