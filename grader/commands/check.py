"""`grader check`: run one kata's tests against the learner's code, explain, and record."""
from __future__ import annotations

import re
import tempfile
from pathlib import Path

from grader.commands.render import err, paint
from grader.discovery import paths
from grader.discovery.catalog import Kata
from grader.running import runner
from grader.stores import manifest, progress
from grader.stores.recording import LEARNER_SKIP, allowed_skip, results_by_kata

RUN_TIMEOUT_S = 600.0  # a whole run; single tests have their own, shorter limit


def _test_name(nodeid: str) -> str:
    return nodeid.split("::", 1)[-1]


def _clean(message: str) -> str:
    """Drop what only clutters a learner's view: the `kata=<module ...>` line of Hypothesis' example."""
    lines = [ln for ln in message.splitlines() if not re.match(r"\s*kata=<module ", ln)]
    return "\n".join(lines).strip()


def crash_context(output: str, kata: Kata) -> str:
    """What a learner needs from a dead child's output: the fatal error and the frames in the kata."""
    lines = output.strip().splitlines()
    fatal = [ln for ln in lines if "Fatal Python error" in ln]
    folder = str(kata.folder)
    frames = [ln.strip() for ln in lines if folder in ln and ln.strip().startswith("File ")]
    picked = fatal[:1] + [f"  {f.replace(folder + '/', '')}" for f in frames[:6]]
    return "\n".join(picked) if picked else "\n".join(lines[-15:])


def explain(t: dict) -> str:
    msg = _clean(t.get("message", ""))
    if t.get("exc_type") == "NotImplementedError":
        first = msg.splitlines()[0] if msg else "NotImplementedError"
        return f"not implemented yet ({first.removeprefix('NotImplementedError: ')})"
    return msg


def preflight(kata: Kata, *, own_file: bool = True) -> str | None:
    """Why the kata cannot be run at all, if it cannot. `own_file`: the learner's file will be run
    (not a notebook's cells), so it must exist."""
    if own_file and not kata.stub.exists():
        return f"{kata.id}: your file {paths.relative(kata.stub)} is missing; `grader reset {kata.id}` restores it"
    if not kata.test_files:
        return f"{kata.id}: no test files in {paths.relative(kata.folder)}"
    hint = kata.missing_extras_hint()
    return f"{kata.id} cannot run here: {hint}, then check again" if hint else None


def _report_crash(kata: Kata, outcome: runner.Outcome, fp: str) -> progress.RunResult:
    """The process died: say which test was running, how many tests there are, and the likely cause."""
    print(f"  {paint('✗ crashed:', 'red')} {outcome.crashed}")
    finished = [t for t in outcome.tests if t.get("kata") == kata.id]
    for t in finished:
        print(f"  {paint('✓', 'green') if t['outcome'] == 'passed' else paint('✗', 'red')} {_test_name(t['nodeid'])}")
    if outcome.running:
        print(f"  {paint('✗', 'red')} {_test_name(outcome.running)}  {paint('<- running when the process died', 'red')}")
    if "triton" in kata.requires and ("SIGABRT" in outcome.crashed or "SIGSEGV" in outcome.crashed):
        print(paint("  likely cause: an out-of-bounds tl.load or tl.store. Triton's interpreter aborts the "
                        "process on one: give every load and store a mask (offsets < n_elements) and, for "
                        "loads, an `other=` value.", "yellow"))
    tail = crash_context(outcome.output, kata)
    if tail:
        print(paint("  last output:", "dim"))
        print("\n".join("    " + ln for ln in tail.splitlines()))
    total = max(outcome.collected.get(kata.id, 0), len(finished) + (1 if outcome.running else 0), 1)
    passed = sum(1 for t in finished if t["outcome"] == "passed")
    return progress.RunResult(passed, total - passed, fingerprint=fp, crashed=True)


def report(kata: Kata, outcome: runner.Outcome, *, verbose: bool = False) -> progress.RunResult:
    """Print each test's verdict and the first failure in detail; return the run to record."""
    fp = manifest.current(kata)
    modified = manifest.tests_modified(kata, fp)
    if outcome.crashed:
        run = _report_crash(kata, outcome, fp)
    else:
        tests = [t for t in outcome.tests if t.get("kata") == kata.id]
        for t in tests:
            learner_skip = t["outcome"] == "skipped" and not allowed_skip(t)
            mark = paint("✗", "red") if learner_skip else \
                {"passed": paint("✓", "green"), "skipped": paint("-", "dim")}.get(t["outcome"], paint("✗", "red"))
            extra = ""
            if learner_skip:
                extra = f"  {paint(LEARNER_SKIP, 'red')}"
            elif t["outcome"] == "skipped":
                extra = f"  {paint('skipped: ' + t.get('message', ''), 'dim')}"
            print(f"  {mark} {_test_name(t['nodeid'])}{extra}")
        for err_text in outcome.collect_errors.values():
            print(f"  {paint('✗ the tests could not be collected', 'red')}")
            print("\n".join("    " + ln for ln in err_text.strip().splitlines()[-12:]))
        failures = [t for t in tests if t["outcome"] in ("failed", "error")]
        shown = failures if verbose else failures[:1]
        for t in shown:
            print()
            print(paint(f"── {_test_name(t['nodeid'])} ", "red") + paint("─" * 40, "dim"))
            print(explain(t))
        if len(failures) > len(shown):
            print(paint(f"\n({len(failures) - len(shown)} more failing; `grader check {kata.id} -v` shows all)", "dim"))
        if verbose and outcome.output.strip():
            print(paint("\n── pytest output", "dim"))
            print(outcome.output.strip())
        errors = {kata.id: "\n".join(outcome.collect_errors.values())} if outcome.collect_errors else {}
        c = results_by_kata(tests, errors, {kata.id: outcome.collected[kata.id]} if kata.id in outcome.collected else None)[kata.id]
        if c["missing"]:
            print(paint(f"  ✗ {c['missing']} collected test(s) never reported a result: the run stopped early", "red"))
        stopped = outcome.exitstatus is not None and outcome.exitstatus not in (0, 1)
        if stopped:
            print(paint(f"  ✗ pytest stopped early (exit status {outcome.exitstatus}): does your code call "
                        "pytest.exit() or raise KeyboardInterrupt?", "red"))
        failed = c["failed"] + (1 if stopped and not c["failed"] else 0)
        run = progress.RunResult(c["passed"], failed, c["skipped"], fp, tests_modified=modified)
    print()
    if modified:
        print(paint("Your copy of this kata's tests differs from the shipped tests, so a pass is not recorded. "
                    f"`git diff {paths.relative(kata.folder)}` shows the change.", "yellow"))
    verdict = paint("PASSED", "green") if run.is_pass else paint("NOT YET", "red")
    print(f"{verdict}  {run.passed}/{run.total} tests pass" + (" (crashed)" if run.crashed else ""))
    return run


def record(kata: Kata, run: progress.RunResult, progress_warning: str | None = None) -> bool:
    """Record the run; say where, or say why not. Returns whether it was recorded."""
    if progress_warning:
        err(f"not recorded: {progress_warning}")
        return False
    try:
        entry = progress.update(paths.progress_file(), {kata.id: run})[kata.id]
    except progress.ProgressError as e:
        err(f"not recorded: {e}")
        return False
    print(paint(f"Recorded in {paths.relative(paths.progress_file())}: {entry.get('status')} "
                f"(attempt {entry.get('attempts')}).", "dim"))
    return True


def check(kata: Kata, *, verbose: bool = False, progress_warning: str | None = None, code: str | None = None,
          source: str | None = None) -> int:
    """Run the kata's tests against the learner's file, or against `code` (a notebook's cells)."""
    problem = preflight(kata, own_file=code is None)
    if problem:
        err(problem)
        return 1
    shown = source or paths.relative(kata.stub)
    print(f"{paint(kata.id, 'cyan')} {paint(kata.title, 'bold')}  {paint(shown, 'dim')}", flush=True)
    extra = ["--tb=no", "--grader-no-record"]
    with tempfile.TemporaryDirectory(prefix="grader-notebook-") as tmp:
        if code is not None:
            module = Path(tmp) / kata.module_name
            module.write_text(code, encoding="utf-8")
            extra.append(f"--grader-target=file:{module}")
        outcome = runner.run([str(f) for f in kata.test_files], extra, timeout=RUN_TIMEOUT_S)
    run = report(kata, outcome, verbose=verbose)
    if not record(kata, run, progress_warning):
        return 1
    if run.is_pass:
        print(f"Next: grader next   ·   compare with the reference: grader solution {kata.id}")
    else:
        print(paint(f"Stuck? grader hint {kata.id}", "dim"))
    return 0 if run.is_pass else 1
