"""Tests for nlp-27-3, logging tool-call patterns and measuring task success rates.

References: call logs built from known call sequences (counts, error rates, transition bigrams by
brute force); scipy.stats.binomtest(...).proportion_ci(method="wilson") for the confidence interval;
a generated task suite run by scripted episodes whose outcomes are known by construction.
"""
from collections import Counter

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from scipy.stats import binomtest

TOOLS = ["calc", "search", "code"]


def make_tools(fail_on: str = "bad"):
    def tool(name):
        def call(arg: str) -> str:
            if arg == fail_on:
                raise RuntimeError(f"{name} failed")
            return f"{name}:{arg}"
        return call
    return {name: tool(name) for name in TOOLS}


@given(episodes=st.lists(st.lists(st.tuples(st.sampled_from(TOOLS), st.sampled_from(["x", "bad"])), max_size=4),
                         min_size=1, max_size=4))
@example(episodes=[[("calc", "x"), ("calc", "bad"), ("search", "x")], [("search", "x")]])
def test_logger_stats_and_transitions(kata, episodes):
    logger = kata.ToolLogger(make_tools())
    for calls in episodes:
        logger.new_episode()
        for name, arg in calls:
            try:
                out = logger.wrapped[name](arg)
                assert out == f"{name}:{arg}", "the wrapped tool must return the tool's result"
            except RuntimeError:
                assert arg == "bad", "the wrapped tool must re-raise the tool's error"
    flat = [(i, n, a) for i, calls in enumerate(episodes, start=1) for n, a in calls]
    got_records = [(r["episode"], r["tool"], r["input"], r["error"]) for r in logger.records]
    assert got_records == [(i, n, a, a == "bad") for i, n, a in flat], f"records {got_records}"
    stats = kata.tool_stats(logger.records)
    for name in TOOLS:
        calls = [a for _, n, a in flat if n == name]
        if not calls:
            assert name not in stats, f"tool_stats lists {name}, which was never called"
            continue
        errs = sum(a == "bad" for a in calls)
        assert (stats[name]["calls"], stats[name]["errors"]) == (len(calls), errs)
        assert abs(stats[name]["error_rate"] - errs / len(calls)) < 1e-12
    want = Counter()
    for calls in episodes:
        prev = "START"
        for n, _ in calls:
            want[(prev, n)] += 1
            prev = n
    got = kata.transitions(logger.records)
    assert Counter(dict(got)) == want, f"transitions {dict(got)}, expected {dict(want)} (per episode, from START)"


@given(n=st.integers(1, 200), frac=st.floats(0, 1), confidence=st.sampled_from([0.8, 0.9, 0.95, 0.99]))
@example(n=10, frac=0.0, confidence=0.95)
@example(n=10, frac=1.0, confidence=0.95)
def test_wilson_interval_matches_scipy(kata, n, frac, confidence):
    k = round(frac * n)
    lo, hi = kata.wilson_interval(k, n, confidence)
    ref = binomtest(k, n).proportion_ci(confidence_level=confidence, method="wilson")
    assert abs(lo - ref.low) < 1e-9 and abs(hi - ref.high) < 1e-9, (
        f"wilson_interval({k}, {n}, {confidence}) = ({lo}, {hi}), scipy gives ({ref.low}, {ref.high})")


def test_wilson_interval_rejects_bad_arguments(kata):
    # (-1, 3, 0.99): at z = 2.58 the square root stays real, so only the check itself can refuse it
    for args in ((1, 0), (0, 0), (5, 3), (-1, 3), (-1, 3, 0.99), (1, 2, 1.0), (1, 2, 0.0), (1, 2, -0.5)):
        with pytest.raises(ValueError):
            kata.wilson_interval(*args)


@given(n_tasks=st.integers(1, 30), seed=st.integers(0, 1000))
def test_evaluate_suite(kata, n_tasks, seed):
    import random
    rnd = random.Random(seed)
    tasks = [(f"q{i}", f"a{i}", rnd.choice(["math", "lookup"])) for i in range(n_tasks)]
    fate = {f"q{i}": rnd.choice(["right", "wrong", "crash", "tool_error"]) for i in range(n_tasks)}

    def run_episode(tools, question):
        i = question[1:]
        tools["search" if int(i) % 2 else "calc"](question)
        if fate[question] == "tool_error":
            try:
                tools["code"]("bad")
            except RuntimeError:
                return None
        if fate[question] == "crash":
            raise KeyError("policy bug")
        return f"a{i}" if fate[question] == "right" else "nope"
    got = kata.evaluate_suite(run_episode, tasks, make_tools(), 0.9)
    ok = [fate[q] == "right" for q, _, _ in tasks]
    assert abs(got["success_rate"] - sum(ok) / n_tasks) < 1e-12, f"success_rate {got['success_rate']}"
    ref = binomtest(sum(ok), n_tasks).proportion_ci(confidence_level=0.9, method="wilson")
    assert abs(got["interval"][0] - ref.low) < 1e-9 and abs(got["interval"][1] - ref.high) < 1e-9
    for kind in ("math", "lookup"):
        sel = [o for o, (_, _, k) in zip(ok, tasks, strict=True) if k == kind]
        if sel:
            assert abs(got["by_kind"][kind] - sum(sel) / len(sel)) < 1e-12, f"by_kind[{kind!r}] = {got['by_kind'][kind]}"
    episodes = [r["episode"] for r in got["records"]]
    assert episodes == sorted(episodes) and len(set(episodes)) == n_tasks, "one episode per task, in order"
    errors = sum(r["error"] for r in got["records"])
    assert errors == sum(f == "tool_error" for f in fate.values()), "every failed tool call is logged as an error"
