"""`grader verify --mutants`: run each kata's tests against every mutant of its solution.

A mutant is killed when at least one test fails on it (an assertion, an exception, or a time
limit: all are a learner's "NOT YET"). A survivor is a hole in the tests unless the kata's
`kata.toml` records it as equivalent, with a reason. One pytest process per kata, so a mutant
that kills its process (a segfault, an abort in Triton's interpreter) costs only that kata's run,
which is then repeated one mutant at a time.
"""
from __future__ import annotations

from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from grader.authoring import mutants
from grader.authoring.verify import AUTHOR_RUN
from grader.discovery.catalog import Kata
from grader.running import runner
from grader.stores import mutation_ledger

MUTANT_TEST_TIMEOUT_S = 20  # per test: a mutant that loops forever is killed by this
RUN_TIMEOUT_S = 1800


@dataclass
class MutationVerdict:
    kata: Kata
    made: list[mutants.Mutant] = field(default_factory=list)
    killed: dict[str, str] = field(default_factory=dict)  # mutant id -> how (the first failing test and why)
    survivors: list[mutants.Mutant] = field(default_factory=list)  # not explained by kata.toml
    equivalent: list[mutants.Mutant] = field(default_factory=list)  # survivors kata.toml explains
    stale: list[str] = field(default_factory=list)  # equivalences recorded for mutants that no longer survive
    error: str | None = None
    inputs: str = ""  # fingerprint of the files judged, taken before the run: an edit during it makes the verdict stale

    @property
    def ok(self) -> bool:
        return not self.survivors and self.error is None

    @property
    def score(self) -> float:
        """Killed over mutants that could be killed (equivalent ones cannot)."""
        denominator = len(self.made) - len(self.equivalent)
        return len(self.killed) / denominator if denominator else 1.0


def recorded_equivalents(kata: Kata) -> dict[str, str]:
    entries = kata.meta.get("equivalent_mutants", [])
    return {str(e.get("id")): str(e.get("why", "")) for e in entries if isinstance(e, dict)}


def _extra(target: str) -> list[str]:
    return [f"--grader-target={target}", "--hypothesis-profile=verify", *AUTHOR_RUN,
            f"--grader-timeout={MUTANT_TEST_TIMEOUT_S}"]


def _outcomes(tests: list[dict]) -> dict[str, str]:
    """mutant id -> how it was killed ("" when it survived) from one run's test reports."""
    out: dict[str, str] = {}
    for t in tests:
        label = t.get("target", "")
        if not label.startswith("mutant:"):
            continue
        mid = label.removeprefix("mutant:")
        out.setdefault(mid, "")
        if t["outcome"] in ("failed", "error") and not out[mid]:
            test = t["nodeid"].split("::", 1)[-1].split("[")[0]
            out[mid] = f"{test}: {t.get('exc_type') or 'failed'}"
    return out


def judge_kata(kata: Kata) -> MutationVerdict:
    v = MutationVerdict(kata, inputs=mutation_ledger.inputs_fingerprint(kata))
    if not kata.solution.exists():
        v.error = f"no solution at {kata.solution}"
        return v
    try:
        v.made = list(mutants.of_files(kata.solution, kata.stub))
    except SyntaxError as e:
        v.error = f"cannot parse the solution: {e}"
        return v
    if not v.made:
        return v
    files = [str(f) for f in kata.test_files]
    outcome = runner.run(files, _extra("mutants"), timeout=RUN_TIMEOUT_S)
    results = _outcomes(outcome.tests) if not outcome.crashed else {}
    if outcome.crashed:
        # Find the mutant that took the process down by running them one at a time; dying is a kill.
        for m in v.made:
            one = runner.run(files, _extra(f"mutant:{m.id}"), timeout=RUN_TIMEOUT_S)
            results[m.id] = (f"crashed the test process: {one.crashed}" if one.crashed
                             else _outcomes(one.tests).get(m.id, ""))
    equivalents = recorded_equivalents(kata)
    for m in v.made:
        how = results.get(m.id)
        if how is None:
            v.error = v.error or f"mutant {m.id} never ran (collection failed?): {outcome.output[-300:].strip()}"
        elif how:
            v.killed[m.id] = how
        elif m.id in equivalents:
            v.equivalent.append(m)
        else:
            v.survivors.append(m)
    surviving = {m.id for m in v.survivors + v.equivalent}
    v.stale = [i for i in equivalents if i not in surviving]
    return v


def verify_mutants(katas: list[Kata], workers: int = 1) -> list[MutationVerdict]:
    with ThreadPoolExecutor(max(1, workers)) as pool:
        return list(pool.map(judge_kata, katas))


def scores_by_track(verdicts: list[MutationVerdict]) -> dict[str, tuple[int, int, int, int]]:
    """track -> (mutants, killed, equivalent, unexplained survivors)."""
    table: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for v in verdicts:
        row = table[v.kata.track]
        row[0] += len(v.made)
        row[1] += len(v.killed)
        row[2] += len(v.equivalent)
        row[3] += len(v.survivors)
    return {k: (a, b, c, d) for k, (a, b, c, d) in table.items()}
