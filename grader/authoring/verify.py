"""`grader verify`: the maintainers' proof that every kata is sound.

For each kata: its metadata is complete and its id is a curriculum checkbox; every test fails on
the stub with NotImplementedError; every test passes on the solution, within the time budget, and
on the solution cell of its nbgrader notebook, whose grade cells can all be built; every pitfall
fails at least one test. All targets run in one pytest session (`--grader-target=all`)
under the derandomized `verify` profile (Hypothesis' `ci` without shrinking), sharded over
separate pytest processes when asked (`-n`).
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from grader.authoring import notebooks
from grader.discovery.catalog import Kata
from grader.pitfalls import borrow_problems
from grader.running import runner
from grader.running.targets import pitfalls_of
from grader.stores import manifest
from grader.stores.recording import GPU_SKIP

BUDGET_S = 3.0
SLOW_BUDGET_S = 10.0
# How every authors' run invokes pytest: no tracebacks (verdicts come from the report), and one
# process per shard instead of xdist workers (see `verify`).
AUTHOR_RUN = ["--tb=no", "-p", "no:xdist"]
# Exceptions that, raised inside pitfalls.py itself, mean the pitfall has a bug of its own (a typo,
# a name it forgot to borrow): catching it proves nothing about the tests.
OWN_BUG_ERRORS = {"NameError", "UnboundLocalError", "ImportError", "ModuleNotFoundError", "AttributeError", "SyntaxError"}


@dataclass
class KataVerdict:
    kata: Kata
    breaches: list[str] = field(default_factory=list)
    tests: int = 0
    pitfalls_caught: int = 0
    pitfalls: int = 0
    solution_seconds: float = 0.0
    budget: float = BUDGET_S
    skipped: int = 0  # tests the solution skipped (only the grader's own "no CUDA device" is allowed)
    caught_by: dict[str, str] = field(default_factory=dict)  # pitfall -> "test: how it failed"
    warnings: list[str] = field(default_factory=list)  # reported, not breaches

    @property
    def ok(self) -> bool:
        return not self.breaches


def _first_line(text: str) -> str:
    return next((ln.strip() for ln in (text or "").splitlines() if ln.strip()), "")[:160]


def _name(t: dict) -> str:
    return t["nodeid"].split("::", 1)[-1].split("[")[0]


def _skip_breaches(ran: list[dict], what: str) -> list[str]:
    """A skip hides a test from the verdict; only the grader's own for missing hardware is allowed."""
    return [f"{_name(t)} skips on {what}: {_first_line(t.get('message', ''))} (a skipped test proves nothing; only "
            f"the grader's own '{GPU_SKIP}' skip is allowed)"
            for t in ran if t["outcome"] == "skipped" and GPU_SKIP not in t.get("message", "")]


def judge(kata: Kata, tests: list[dict], collect_error: str | None, budget_tolerance: float = 1.0) -> KataVerdict:
    """The verdict on one kata. Budget breaches beyond `budget_tolerance` × the budget are breaches;
    between the budget and that, a warning (CPU time still grows a little on a busy machine)."""
    v = KataVerdict(kata, list(kata.metadata_problems()))
    if collect_error:
        hint = kata.missing_extras_hint()
        v.breaches.append(f"tests do not collect: {_first_line(collect_error.splitlines()[-1])}"
                          + (f" ({hint})" if hint else ""))
        return v
    by_target: dict[str, list[dict]] = defaultdict(list)
    for t in tests:
        by_target[t.get("target", "?")].append(t)
    v.tests = len({_name(t) for t in by_target["solution"]})
    if v.tests == 0:
        v.breaches.append("no tests ran against the solution")
    v.skipped = sum(1 for t in by_target["solution"] if t["outcome"] == "skipped")
    v.breaches += _skip_breaches(by_target["learner"], "the stub")
    v.breaches += _skip_breaches(by_target["solution"], "the solution")
    v.breaches += _skip_breaches(by_target["notebook"], "the notebook's solution cell")
    for t in by_target["learner"]:
        if t["outcome"] == "passed":
            v.breaches.append(f"{_name(t)} passes on the stub: it cannot tell an unsolved kata from a solved one")
        elif t["outcome"] in ("failed", "error") and t.get("exc_type") != "NotImplementedError":
            v.breaches.append(f"{_name(t)} fails on the stub with {t.get('exc_type') or 'an error'}, not "
                              f"NotImplementedError: {_first_line(t.get('message', ''))}")
    for target, what in (("solution", "the solution"), ("notebook", "the notebook's solution cell")):
        for t in by_target[target]:
            if t["outcome"] in ("failed", "error"):
                v.breaches.append(f"{_name(t)} fails on {what}: {_first_line(t.get('message', ''))}")
    try:
        notebooks.build(kata, teacher=True)
    except (notebooks.NotebookError, OSError) as e:
        v.breaches.append(f"cannot be turned into notebook cells: {e}")
    v.breaches += notebooks.given_code_mismatches(kata)
    for t in by_target["solution"]:
        if "slow" in t.get("markers", []):
            v.budget = SLOW_BUDGET_S
        if "benchmark" in t.get("markers", []):
            continue  # learners' checks skip benchmarks; verify runs them at smoke sizes only to keep them alive
        # CPU time where measured: a busy machine stretches wall time, not the work a test does.
        v.solution_seconds += t.get("cpu", t["duration"])
    if v.solution_seconds > v.budget * budget_tolerance:
        v.breaches.append(f"tests take {v.solution_seconds:.2f} s of CPU on the solution; the budget is {v.budget:.0f} s"
                          + (f" (tolerance {budget_tolerance:g}×)" if budget_tolerance != 1 else ""))
    elif v.solution_seconds > v.budget:
        v.warnings.append(f"tests take {v.solution_seconds:.2f} s of CPU on the solution, over the {v.budget:.0f} s "
                          f"budget but within the {budget_tolerance:g}× tolerance for a busy machine")
    declared = pitfalls_of(kata)
    v.pitfalls = len(declared)
    v.breaches += borrow_problems(kata.pitfalls_file, kata.solution)
    if not declared:
        v.breaches.append("no pitfalls: every kata ships at least one plausible wrong implementation")
    for p in declared:
        ran = by_target[f"pitfall:{p.name}"]
        errors = [t for t in ran if t["outcome"] == "error"]
        failed = [t for t in ran if t["outcome"] == "failed"]
        own_bugs = [t for t in failed if t.get("exc_type") in OWN_BUG_ERRORS
                    and Path(t.get("exc_origin") or "/").name == "pitfalls.py"]
        if failed:
            v.caught_by[p.name] = f"{_name(failed[0])}: {failed[0].get('exc_type') or 'failed'}"
        if own_bugs:
            t = own_bugs[0]
            v.breaches.append(f"pitfall {p.name} is caught only by a bug of its own: {t.get('exc_type')} raised in "
                              f"pitfalls.py ({_first_line(t.get('message', ''))})")
        elif failed:
            v.pitfalls_caught += 1
        elif errors:
            v.breaches.append(f"pitfall {p.name} could not be loaded: {_first_line(errors[0].get('message', ''))}")
        else:
            v.breaches.append(f"pitfall {p.name} ({p.why}) passes every test")
    return v


def _shards(katas: list[Kata], n: int) -> list[list[Kata]]:
    """Round-robin in curriculum order, so neighbouring (similarly heavy) katas land on different shards."""
    return [katas[i::n] for i in range(n) if katas[i::n]]


def verify(katas: list[Kata], workers: int = 1, refresh_fingerprints: bool = True, *,
           budget_tolerance: float = 1.0, learner_seed: int | None = None) -> tuple[list[KataVerdict], float]:
    """Run every target of `katas` and judge them.

    Parallel runs are separate pytest processes, each over its share of the katas. pytest-xdist
    would make every worker collect, and so import, every kata's test module (torch, scikit-learn,
    statsmodels, tokenizers...), which on two cores cost more than the parallelism won.

    By default the run is derandomized (Hypothesis' `ci` profile without shrinking). With
    `learner_seed`, it runs under the learner's conditions instead: the learner profile's random
    draws (from that seed, so a flip can be replayed) and the learner's memory cap.
    """
    import time
    from concurrent.futures import ThreadPoolExecutor

    if learner_seed is None:
        conditions = ["--hypothesis-profile=verify"]
    else:
        conditions = ["--hypothesis-profile=learner", f"--hypothesis-seed={learner_seed}", "--grader-learner-conditions"]
    # Benchmarks run too, at smoke sizes (grader.testing.smoke), so none can rot unseen.
    extra = ["--grader-target=all", *conditions, "--run-benchmarks", *AUTHOR_RUN]
    env = {"GRADER_BENCHMARK_SMOKE": "1"}
    start = time.perf_counter()
    shards = [[str(f) for k in shard for f in k.test_files] for shard in _shards(katas, max(1, workers))]
    shards = [s for s in shards if s]
    with ThreadPoolExecutor(max(1, len(shards))) as pool:
        outcomes = list(pool.map(lambda paths: runner.run(paths, extra, env=env), shards))
    tests: list[dict] = []
    collect_errors: dict[str, str] = {}
    for outcome in outcomes:
        if outcome.crashed:
            where = f" while running {outcome.running}" if outcome.running else ""
            raise RuntimeError(f"verification run died{where}: {outcome.crashed}\n{outcome.output[-2000:]}")
        tests += outcome.tests
        collect_errors.update(outcome.collect_errors)
    by_kata: dict[str, list[dict]] = defaultdict(list)
    for t in tests:
        by_kata[t.get("kata", "?")].append(t)
    verdicts = [judge(k, by_kata.get(k.id, []), collect_errors.get(k.id), budget_tolerance) for k in katas]
    if refresh_fingerprints:
        manifest.refresh([v.kata for v in verdicts if v.ok])
    return verdicts, time.perf_counter() - start


def verify_learner_profile(katas: list[Kata], seeds: list[int], workers: int = 1,
                           budget_tolerance: float = 2.0) -> dict[str, list[str]]:
    """Verdicts under the learner's conditions, once per seed: kata id -> breaches, each tagged with
    the seed that showed it. A kata sound under `verify` but breached here has a verdict that
    depends on the draw: a pitfall that only a rare input reveals, or a solution that fails on one."""
    found: dict[str, list[str]] = defaultdict(list)
    for seed in seeds:
        verdicts, _ = verify(katas, workers, refresh_fingerprints=False, budget_tolerance=budget_tolerance,
                             learner_seed=seed)
        for v in verdicts:
            found[v.kata.id] += [f"seed {seed}: {b}" for b in v.breaches]
    return {k: found.get(k.id, []) for k in katas}
