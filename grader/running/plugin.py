"""The workbook's pytest plugin, registered through the `pytest11` entry point.

It gives kata tests their `kata` fixture (the learner's stub by default, or the solution and each
pitfall under `--grader-target`), the `gpu`/`slow`/`benchmark` markers, the Hypothesis profiles,
Triton's interpreter on machines without CUDA, and records learner runs in `progress.toml`.
Nothing heavy is imported at pytest start-up.
"""
from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

import pytest

from grader.discovery import paths
from grader.discovery.catalog import Kata
from grader.discovery.catalog import load as load_kata
from grader.running import constants, guards, hardware
from grader.running.targets import LEARNER, Target, TargetLoadError, targets_for
from grader.running.targets import load as load_target
from grader.stores.recording import BENCHMARK_SKIP, GPU_SKIP

TARGET_MODES = ("learner", "solution", "pitfalls", "notebook", "all", "mutants")
LEARNER_EXAMPLES = 30
_kata_cache: dict[Path, Kata | None] = {}


def pytest_addoption(parser: pytest.Parser) -> None:
    g = parser.getgroup("grader", "ML kata workbook")
    g.addoption("--grader-target", default=os.environ.get("GRADER_TARGET", LEARNER),
                help="code the kata tests run against: learner (default), solution, pitfalls, notebook, all, "
                     "mutants, pitfall:NAME, mutant:ID, or file:PATH")
    g.addoption("--grader-report", default=None, help="write per-test results as JSON to this file")
    g.addoption("--grader-no-record", action="store_true", help="do not record this run in progress.toml")
    g.addoption("--run-benchmarks", action="store_true", help="run `benchmark`-marked tests (real timings)")
    g.addoption("--grader-timeout", type=float, default=float(os.environ.get("GRADER_TIMEOUT", 60)),
                help="seconds of CPU time one test may use before it fails as a probable infinite loop; a test "
                     "blocked without using the CPU is stopped at 5x this in wall time (0: no limit)")
    g.addoption("--grader-every-test", action="store_true",
                help="run every test against pitfalls and mutants (by default one failing test is enough)")
    g.addoption("--grader-learner-conditions", action="store_true",
                help="run any target under the learner's conditions (memory cap); `grader verify --learner-profile`")
    g.addoption("--grader-memory-gib", type=float, default=float(os.environ.get("GRADER_MEMORY_GIB", 4)),
                help="address-space limit of a learner-mode run, in GiB (0: no limit)")


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "gpu: needs a CUDA device; skipped with the reason 'no CUDA device' without one")
    config.addinivalue_line("markers", "slow: a training-style test (tiny model, few steps): 10 s budget instead of 3 s")
    config.addinivalue_line("markers", "benchmark: prints real timings; runs only with --run-benchmarks")
    config.addinivalue_line("markers", "points(n): points of this test in an autograded notebook (default 1)")
    config.addinivalue_line("markers", "hidden: left out of release notebooks; graded only by the teacher")
    mode = config.getoption("--grader-target")
    if mode not in TARGET_MODES and not mode.startswith(("pitfall:", "file:", "mutant:")):
        raise pytest.UsageError(f"--grader-target must be one of {', '.join(TARGET_MODES)}, pitfall:NAME, mutant:ID "
                                f"or file:PATH, not {mode!r}")
    # Triton reads this when a kernel is decorated, i.e. when a kata module is imported: set it now.
    if not hardware.cuda_likely():
        os.environ.setdefault("TRITON_INTERPRET", "1")
    os.environ.setdefault("MPLBACKEND", "Agg")  # plotting katas render off-screen in tests
    # Kata tensors are tiny: one thread is fastest, and on a busy 2-core machine torch's spinning
    # worker threads made a 2 µs softmax take 20 ms. Set before torch is imported (xdist workers inherit it).
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ.setdefault(var, "1")
    _register_hypothesis_profiles(config)
    constants.install()
    # Mutants too: an off-by-one size can allocate without bound.
    if mode == LEARNER or mode.startswith("mutant") or config.getoption("--grader-learner-conditions"):
        guards.limit_memory(config.getoption("--grader-memory-gib"))
    config.pluginmanager.register(_Recorder(config), "grader-recorder")


def _register_hypothesis_profiles(config: pytest.Config) -> None:
    from hypothesis import HealthCheck, Phase, settings
    from hypothesis.database import DirectoryBasedExampleDatabase

    # The learner's default: few examples, no deadline (torch and Triton's interpreter have slow
    # first calls), and an example database so the last failing example replays first.
    # Only a learner's own failures are worth replaying; solution and pitfall runs keep no database.
    learner_run = config.getoption("--grader-target") == LEARNER
    settings.register_profile(
        "learner",
        max_examples=LEARNER_EXAMPLES,
        deadline=None,
        database=DirectoryBasedExampleDatabase(str(paths.root() / ".hypothesis" / "examples")) if learner_run else None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    # CI extends Hypothesis' own `ci` profile (derandomized, no database) with the learner's budget.
    settings.register_profile("ci", parent=settings.get_profile("ci"), max_examples=LEARNER_EXAMPLES, deadline=None)
    # `grader verify` only needs to know that a target fails, not its smallest failing example.
    settings.register_profile("verify", parent=settings.get_profile("ci"),
                              phases=(Phase.explicit, Phase.reuse, Phase.generate))
    chosen = config.getoption("hypothesis_profile", None) if _has_option(config, "hypothesis_profile") else None
    if not chosen:
        settings.load_profile("ci" if os.environ.get("CI") else "learner")


def _has_option(config: pytest.Config, name: str) -> bool:
    try:
        config.getoption(name)
        return True
    except ValueError:
        return False


def kata_of_path(path: Path) -> Kata | None:
    """The kata whose folder holds `path`, if any."""
    folder = path.resolve().parent
    if folder not in _kata_cache:
        _kata_cache[folder] = load_kata(folder) if (folder / "kata.toml").exists() else None
    return _kata_cache[folder]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "kata" not in metafunc.fixturenames:
        return
    mode = metafunc.config.getoption("--grader-target")
    if mode == LEARNER:
        return  # learners see plain test ids; the fixture loads their stub
    kata = kata_of_path(Path(str(metafunc.definition.fspath)))
    if kata is None:
        return
    targets = targets_for(kata, mode)
    metafunc.parametrize("kata", targets, ids=[t.label for t in targets], indirect=True, scope="module")


@pytest.fixture(scope="module")
def kata(request: pytest.FixtureRequest) -> Any:
    """The module under test: the learner's stub, or the solution/pitfall under --grader-target."""
    found = kata_of_path(Path(str(request.path)))
    if found is None:
        pytest.fail(f"{request.path} is not inside a kata folder (no kata.toml beside it)", pytrace=False)
    target: Target = getattr(request, "param", Target(LEARNER))
    try:
        return load_target(found, target)
    except TargetLoadError as e:
        pytest.fail(f"could not load your code for {found.id}: {e}", pytrace=False)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    run_benchmarks = config.getoption("--run-benchmarks")
    needs_gpu = [i for i in items if i.get_closest_marker("gpu")]
    if needs_gpu and not hardware.cuda_available():
        for item in needs_gpu:
            item.add_marker(pytest.mark.skip(reason=GPU_SKIP))
    if not run_benchmarks:
        for item in items:
            if item.get_closest_marker("benchmark"):
                item.add_marker(pytest.mark.skip(reason=BENCHMARK_SKIP))
    if config.getoption("--grader-target").startswith("mutant"):
        items[:] = _mutated_function_first(items)


def _mutated_function_first(items: list[pytest.Item]) -> list[pytest.Item]:
    """Within each mutant's run, the tests named after the mutated function come first.

    A mutant needs one failing test, and the rest are skipped once it fails; a mutant of
    `quantize_q8_0` is almost always killed by `test_quantize_q8_0_*`, so running those first saves
    the kata's slow training tests for the mutants that survive them. Only the order changes: a
    mutant is still killed exactly when some test fails on it.
    """
    group: dict[tuple[str, str], int] = {}

    def key(pair: tuple[int, pytest.Item]) -> tuple[int, int, int]:
        index, item = pair
        target = _target_of(item)
        label = target.label if target is not None else ""
        g = group.setdefault((str(item.path), label), len(group))
        if target is None or target.mutant is None:
            return g, 0, index
        function = target.mutant.split(":", 1)[0].rsplit(".", 1)[-1].strip("_").lower()
        named = bool(function) and function in getattr(item, "originalname", item.name).lower()
        return g, 0 if named else 1, index

    return [item for _, item in sorted(enumerate(items), key=key)]


_caught: set[tuple[str, str]] = set()  # (test file, label) of pitfalls and mutants already rejected


def _target_of(item: pytest.Item) -> Target | None:
    callspec = getattr(item, "callspec", None)
    target = callspec.params.get("kata") if callspec else None
    return target if isinstance(target, Target) else None


def pytest_runtest_setup(item: pytest.Item) -> None:
    # A pitfall or mutant needs to fail one test to be caught; its remaining tests would only cost time.
    target = _target_of(item)
    if target is not None and target.wrong_on_purpose and (str(item.path), target.label) in _caught \
            and not item.config.getoption("--grader-every-test"):
        pytest.skip(ALREADY_CAUGHT)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Any:
    item.stash[_CPU_START] = time.process_time()
    return (yield)


_CPU_START = pytest.StashKey[float]()
ALREADY_CAUGHT = "already caught by an earlier test"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item) -> Any:
    # Only kata tests run learner code; the workbook's own tests keep pytest's usual behaviour.
    limit = item.config.getoption("--grader-timeout") if kata_of_path(Path(str(item.fspath))) else 0
    # Every test sets its own pool (empty without a `kata`), so no test inherits another's.
    constants.use(getattr(item, "funcargs", {}).get("kata"))
    with guards.time_limit(limit):
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Any:
    report = yield
    kata_found = kata_of_path(Path(str(item.fspath)))
    target = _target_of(item)
    if target is not None and target.wrong_on_purpose and report.failed:
        _caught.add((str(item.path), target.label))
    if call.when == "teardown" and _CPU_START in item.stash:
        # CPU seconds of setup, call and teardown: unlike wall time, unaffected by other processes.
        report.user_properties.append(("grader_cpu", time.process_time() - item.stash[_CPU_START]))
    if kata_found is not None and call.when == "setup":
        label = target.label if target is not None else LEARNER
        markers = sorted({m.name for m in item.iter_markers()} & {"gpu", "slow", "benchmark", "hidden"})
        report.user_properties += [("grader_kata", kata_found.id), ("grader_target", label), ("grader_markers", markers)]
    if call.excinfo is not None and not call.excinfo.errisinstance(pytest.skip.Exception):
        exc = call.excinfo.value
        notes = "\n".join(getattr(exc, "__notes__", []))
        text = guards.explain(exc) + (f"\n{notes}" if notes else "")
        origin = str(call.excinfo.traceback[-1].path) if call.excinfo.traceback else ""
        report.user_properties += [("grader_exc_type", type(exc).__name__), ("grader_message", text[:6000]),
                                   ("grader_exc_origin", origin)]
    return report


class _Recorder:
    """Collects every test report (on the xdist controller too) and acts at session end."""

    def __init__(self, config: pytest.Config) -> None:
        self.config = config
        self.tests: dict[str, dict] = {}
        self.collect_errors: dict[str, str] = {}
        self.collected: dict[str, int] = {}
        report = config.getoption("--grader-report")
        # A line per event, appended as it happens: if learner code kills the process, the grader
        # still learns how many tests there were, which finished, and which one was running.
        self.live = Path(f"{report}.live") if report else None

    def _log(self, *fields: object) -> None:
        if self.live is not None:
            with self.live.open("a", encoding="utf-8") as f:
                f.write("\t".join(str(x) for x in fields) + "\n")

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self._log("collected", json.dumps(self.collected))

    def pytest_runtest_logstart(self, nodeid: str, location: tuple) -> None:
        self._log("start", nodeid)

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        path = Path(str(report.fspath)) if report.fspath else None
        kata_found = kata_of_path(path) if path and path.suffix == ".py" else None
        if kata_found is None:
            return
        if report.failed:
            self.collect_errors[kata_found.id] = str(report.longrepr)[-3000:]
        else:
            n = sum(1 for r in report.result if isinstance(r, pytest.Item))
            self.collected[kata_found.id] = self.collected.get(kata_found.id, 0) + n

    def pytest_runtest_logreport(self, report: pytest.TestReport) -> None:
        props = dict(report.user_properties)
        entry = self.tests.setdefault(report.nodeid, {"nodeid": report.nodeid, "outcome": "passed", "duration": 0.0})
        for key in ("grader_kata", "grader_target", "grader_markers", "grader_cpu"):
            if key in props:
                entry[key.removeprefix("grader_")] = props[key]
        entry["duration"] += report.duration
        if report.when == "call":
            entry["called"] = True  # a pass counts only for a test whose body ran to its end
        if report.skipped and entry["outcome"] == "passed":
            entry["outcome"] = "skipped"
            entry["message"] = str(report.longrepr[2]) if isinstance(report.longrepr, tuple) else "skipped"
        elif report.failed:
            entry["outcome"] = "failed" if report.when == "call" else "error"
            entry["exc_type"] = props.get("grader_exc_type", "")
            entry["exc_origin"] = props.get("grader_exc_origin", "")
            entry["message"] = props.get("grader_message") or str(report.longrepr)[-3000:]
        if report.when == "teardown":
            self._log("end", report.nodeid, entry["outcome"], entry.get("kata", ""))

    def pytest_sessionfinish(self, session: pytest.Session, exitstatus: int) -> None:
        if hasattr(self.config, "workerinput"):
            return  # xdist workers report to the controller, which records once
        report_path = self.config.getoption("--grader-report")
        if report_path:
            Path(report_path).write_text(json.dumps(
                {"tests": list(self.tests.values()), "collect_errors": self.collect_errors,
                 "collected": self.collected, "exitstatus": int(exitstatus)}, indent=1), encoding="utf-8")
        if self.config.getoption("--grader-target") == LEARNER and not self.config.getoption("--grader-no-record"):
            from grader.stores import recording

            recording.record_session(self.config, list(self.tests.values()), self.collect_errors, self.collected,
                                     int(exitstatus))
