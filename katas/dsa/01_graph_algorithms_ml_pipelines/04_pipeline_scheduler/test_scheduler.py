"""Tests for dsa-01-4, a parallel pipeline scheduler.

References: each step's level against its longest-path depth (memoised recursion over the DAG);
graphlib's CycleError for cyclic inputs; real concurrency proved with a threading.Barrier that only
opens when every step of a level is running at once (with a timeout, so a sequential scheduler fails
rather than hangs); a counter of simultaneously running steps for max_workers; and a failing step
that must stop the pipeline before the next level starts.
"""
import graphlib
import threading
from functools import cache

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import seeds


def random_deps(seed: int, n: int) -> dict:
    rng = np.random.default_rng(seed)
    names = [f"s{i}" for i in range(n)]
    order = rng.permutation(n)
    return {names[order[i]]: [names[order[j]] for j in range(i) if rng.random() < 0.35] for i in range(n)}


def depths(deps: dict) -> dict:
    @cache
    def depth(node: str) -> int:
        return 1 + max((depth(p) for p in deps.get(node, ())), default=-1)
    nodes = set(deps) | {p for ps in deps.values() for p in ps}
    return {n: depth(n) for n in nodes}


@given(n=st.integers(0, 12), seed=seeds())
@example(n=0, seed=0)
@example(n=1, seed=0)
def test_levels_are_longest_path_depths(kata, n, seed):
    deps = random_deps(seed, n)
    levels = kata.parallel_levels(deps)
    want = depths(deps)
    got = {node: k for k, level in enumerate(levels) for node in level}
    assert got == want, f"parallel_levels({deps}) = {levels}; expected each step at its longest-path depth {want}"
    assert all(level == sorted(level, key=repr) for level in levels), f"levels are not sorted by repr: {levels}"


def test_prerequisite_only_steps_and_cycles(kata):
    assert kata.parallel_levels({"train": ["data"], "eval": ["train", "data"]}) == [["data"], ["train"], ["eval"]]
    with pytest.raises(graphlib.CycleError):
        kata.parallel_levels({"a": ["b"], "b": ["a"]})
        pytest.fail("parallel_levels of a cycle returned instead of raising graphlib.CycleError")


@given(n=st.integers(1, 10), seed=seeds())
@settings(max_examples=10)
def test_results_flow_along_the_edges(kata, n, seed):
    deps = random_deps(seed, n)
    steps = {name: (lambda inputs, name=name: (name, sorted(inputs.items()))) for name in deps}
    results = kata.run_pipeline(steps, deps)
    assert set(results) == set(deps), f"run_pipeline returned results for {sorted(results)}, expected {sorted(deps)}"
    for name, ps in deps.items():
        got_name, inputs = results[name]
        assert got_name == name and dict(inputs) == {p: results[p] for p in ps}, (
            f"step {name} received inputs {dict(inputs)}, expected the results of its prerequisites {ps}")


def test_a_level_really_runs_in_parallel(kata):
    """Four independent steps wait at a barrier for four parties: only concurrent execution gets through."""
    barrier = threading.Barrier(4, timeout=5)
    steps = {f"fit{i}": (lambda inputs: barrier.wait()) for i in range(4)}
    steps["report"] = lambda inputs: len(inputs)
    deps = {"report": [f"fit{i}" for i in range(4)]}
    try:
        results = kata.run_pipeline(steps, deps, max_workers=4)
    except kata.StepFailed as e:
        raise AssertionError("the four steps of level 0 did not all run at the same time (a barrier for 4 timed "
                             f"out in step {e.step!r}): submit a whole level to the thread pool before waiting") from None
    assert results["report"] == 4


def test_max_workers_limits_concurrency(kata):
    """Three independent steps wait at a barrier for THREE parties: with max_workers=2 it can never open."""
    trio = threading.Barrier(3, timeout=1)
    steps = {f"job{i}": (lambda inputs: trio.wait()) for i in range(3)}
    with pytest.raises(kata.StepFailed):
        kata.run_pipeline(steps, {}, max_workers=2)
        pytest.fail("with max_workers=2, three steps ran at once (a barrier for 3 opened): the pool size is not respected")
    results = kata.run_pipeline({"a": lambda i: 1, "b": lambda i: i["a"] + 1}, {"b": ["a"]}, max_workers=1)
    assert results == {"a": 1, "b": 2}, f"run_pipeline(max_workers=1) returned {results}"
    with pytest.raises(ValueError):
        kata.run_pipeline({"a": lambda i: 1}, {}, max_workers=0)
        pytest.fail("run_pipeline(max_workers=0) returned instead of raising ValueError")


def test_a_failure_stops_the_pipeline(kata):
    started = []

    def ok(name: str):
        def run(inputs: dict) -> str:
            started.append(name)
            return name
        return run

    def boom(inputs: dict) -> None:
        started.append("clean")
        raise RuntimeError("bad data")

    steps = {"load": ok("load"), "clean": boom, "stats": ok("stats"), "train": ok("train"), "eval": ok("eval")}
    deps = {"clean": ["load"], "stats": ["load"], "train": ["clean"], "eval": ["train", "stats"]}
    with pytest.raises(kata.StepFailed) as info:
        kata.run_pipeline(steps, deps)
        pytest.fail("run_pipeline returned although step 'clean' raised")
    assert info.value.step == "clean", f"StepFailed.step = {info.value.step!r}, expected 'clean'"
    assert isinstance(info.value.__cause__, RuntimeError), "raise StepFailed(step) from the step's exception"
    assert "stats" in started, "'stats' is in the same level as 'clean': the level should finish"
    assert "train" not in started and "eval" not in started, f"steps of later levels started after a failure: {started}"


def test_missing_step_functions_and_cycles(kata):
    with pytest.raises(ValueError):
        kata.run_pipeline({"a": lambda inputs: 1}, {"a": ["b"]})
        pytest.fail("run_pipeline with no function for prerequisite 'b' returned instead of raising ValueError")
    with pytest.raises(graphlib.CycleError):
        kata.run_pipeline({"a": lambda i: 1, "b": lambda i: 2}, {"a": ["b"], "b": ["a"]})
        pytest.fail("run_pipeline on a cycle returned instead of raising graphlib.CycleError")
