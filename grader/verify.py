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

from grader import manifest, notebooks, runner
from grader.catalog import Kata
from grader.targets import pitfalls_of

BUDGET_S = 3.0
SLOW_BUDGET_S = 10.0


@dataclass
class KataVerdict:
    kata: Kata
    breaches: list[str] = field(default_factory=list)
    tests: int = 0
    pitfalls_caught: int = 0
    pitfalls: int = 0
    solution_seconds: float = 0.0
    budget: float = BUDGET_S

    @property
    def ok(self) -> bool:
        return not self.breaches


def _first_line(text: str) -> str:
    return next((ln.strip() for ln in (text or "").splitlines() if ln.strip()), "")[:160]


def _name(t: dict) -> str:
    return t["nodeid"].split("::", 1)[-1].split("[")[0]


def judge(kata: Kata, tests: list[dict], collect_error: str | None) -> KataVerdict:
    v = KataVerdict(kata, list(kata.metadata_problems()))
    if collect_error:
        v.breaches.append(f"tests do not collect: {_first_line(collect_error.splitlines()[-1])}")
        return v
    by_target: dict[str, list[dict]] = defaultdict(list)
    for t in tests:
        by_target[t.get("target", "?")].append(t)
    v.tests = len({_name(t) for t in by_target["solution"]})
    if v.tests == 0:
        v.breaches.append("no tests ran against the solution")
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
        # CPU time where measured: a busy machine stretches wall time, not the work a test does.
        v.solution_seconds += t.get("cpu", t["duration"])
        if "slow" in t.get("markers", []):
            v.budget = SLOW_BUDGET_S
    if v.solution_seconds > v.budget:
        v.breaches.append(f"tests take {v.solution_seconds:.2f} s of CPU on the solution; the budget is {v.budget:.0f} s")
    declared = pitfalls_of(kata)
    v.pitfalls = len(declared)
    if not declared:
        v.breaches.append("no pitfalls: every kata ships at least one plausible wrong implementation")
    for p in declared:
        ran = by_target[f"pitfall:{p.name}"]
        errors = [t for t in ran if t["outcome"] == "error"]
        if any(t["outcome"] == "failed" for t in ran):
            v.pitfalls_caught += 1
        elif errors:
            v.breaches.append(f"pitfall {p.name} could not be loaded: {_first_line(errors[0].get('message', ''))}")
        else:
            v.breaches.append(f"pitfall {p.name} ({p.why}) passes every test")
    return v


def _shards(katas: list[Kata], n: int) -> list[list[Kata]]:
    """Round-robin in curriculum order, so neighbouring (similarly heavy) katas land on different shards."""
    return [katas[i::n] for i in range(n) if katas[i::n]]


def verify(katas: list[Kata], workers: int = 1, refresh_fingerprints: bool = True) -> tuple[list[KataVerdict], float]:
    """Run every target of `katas` and judge them.

    Parallel runs are separate pytest processes, each over its share of the katas. pytest-xdist
    would make every worker collect, and so import, every kata's test module (torch, scikit-learn,
    statsmodels, tokenizers...), which on two cores cost more than the parallelism won.
    """
    import time
    from concurrent.futures import ThreadPoolExecutor

    extra = ["--grader-target=all", "--hypothesis-profile=verify", "--tb=no", "-p", "no:xdist"]
    start = time.perf_counter()
    shards = [[str(f) for k in shard for f in k.test_files] for shard in _shards(katas, max(1, workers))]
    shards = [s for s in shards if s]
    with ThreadPoolExecutor(max(1, len(shards))) as pool:
        outcomes = list(pool.map(lambda paths: runner.run(paths, extra), shards))
    tests: list[dict] = []
    collect_errors: dict[str, str] = {}
    for outcome in outcomes:
        if outcome.crashed:
            raise RuntimeError(f"verification run died: {outcome.crashed}\n{outcome.output[-2000:]}")
        tests += outcome.tests
        collect_errors.update(outcome.collect_errors)
    by_kata: dict[str, list[dict]] = defaultdict(list)
    for t in tests:
        by_kata[t.get("kata", "?")].append(t)
    verdicts = [judge(k, by_kata.get(k.id, []), collect_errors.get(k.id)) for k in katas]
    if refresh_fingerprints:
        manifest.refresh([v.kata for v in verdicts if v.ok])
    return verdicts, time.perf_counter() - start
