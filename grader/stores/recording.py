"""Turning a learner's pytest session into per-kata results in progress.toml."""
from __future__ import annotations

from collections import defaultdict

import pytest

from grader.discovery import paths
from grader.discovery.catalog import by_id
from grader.stores import manifest, progress

# The only reasons a kata test may skip without costing a pass: the grader's own, for hardware the
# machine lacks and timings the learner did not ask for. Any other skip means the test never judged.
GPU_SKIP = "no CUDA device"
BENCHMARK_SKIP = "benchmark: run with --run-benchmarks"
ALLOWED_SKIPS = (GPU_SKIP, BENCHMARK_SKIP)
LEARNER_SKIP = "your code skipped this test (pytest.skip or a skip exception): a skipped test is not a pass"


def allowed_skip(t: dict) -> bool:
    return t["outcome"] == "skipped" and any(reason in t.get("message", "") for reason in ALLOWED_SKIPS)


def _partial_selection(config: pytest.Config) -> bool:
    """Whether the session ran a chosen subset of tests, which cannot earn (or lose) a pass."""
    opt = config.option
    if getattr(opt, "keyword", "") or getattr(opt, "markexpr", "") or getattr(opt, "deselect", None):
        return True
    if getattr(opt, "lf", False):  # --lf runs only last time's failures (--ff merely reorders)
        return True
    return any("::" in str(a) for a in config.args)


def results_by_kata(tests: list[dict], collect_errors: dict[str, str],
                    collected: dict[str, int] | None = None) -> dict[str, dict[str, int]]:
    """passed/failed/skipped per kata. Only the grader's own skips count as skipped; a test that
    skipped for any other reason, passed without its body running, or was collected but never
    reported counts as failed (`missing`), so a run cut short can never look complete."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {"passed": 0, "failed": 0, "skipped": 0, "missing": 0})
    for t in tests:
        if "kata" in t:
            if t["outcome"] == "passed" and t.get("called", True):
                key = "passed"
            elif allowed_skip(t):
                key = "skipped"
            else:
                key = "failed"
            counts[t["kata"]][key] += 1
    for kata_id in collect_errors:
        counts[kata_id]["failed"] += 1
    for kata_id, n in (collected or {}).items():
        c = counts[kata_id]
        reported = c["passed"] + c["failed"] + c["skipped"]
        if n > reported:
            c["missing"] = n - reported
            c["failed"] += n - reported
    return counts


def record_session(config: pytest.Config, tests: list[dict], collect_errors: dict[str, str],
                   collected: dict[str, int], exitstatus: int = 0) -> None:
    counts = results_by_kata(tests, collect_errors)
    if not counts:
        return
    tr = config.pluginmanager.get_plugin("terminalreporter")
    say = (lambda line: tr.write_line(line)) if tr else print
    if _partial_selection(config) or any(collected.get(k, c["passed"] + c["failed"] + c["skipped"]) >
                                         c["passed"] + c["failed"] + c["skipped"] for k, c in counts.items()):
        say("grader: only some tests of the kata ran, so progress.toml was not updated (run the whole kata to record)")
        return
    if exitstatus not in (pytest.ExitCode.OK, pytest.ExitCode.TESTS_FAILED):
        say(f"grader: pytest stopped early (exit status {exitstatus}: pytest.exit() or an interrupt), "
            "so progress.toml was not updated")
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
