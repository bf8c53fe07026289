"""Tests for ret-05-4, a BabyAGI-style task-queue agent behind a safety wrapper.

References: call counters on dangerous tools that must stay at zero under adversarial tool names drawn
by Hypothesis (case and whitespace variants, NUL and zero-width characters, Cyrillic homoglyphs,
non-strings, planner-injected tasks); tools that raise, hang (released by the test afterwards) or
return garbage; a reference FIFO loop; and the no-lost-task invariant: every task given or planned is
either in the log or pending, exactly once.
"""
import threading
import time

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

ALLOWED = {"search", "calc", "flaky", "garbage", "hang", "ghost"}     # "ghost" is allowed but not registered


def toolbox() -> tuple[dict, list, threading.Event]:
    dangerous: list = []
    release = threading.Event()

    def flaky(**kw: object) -> str:
        raise ValueError(f"flaky failed on {kw}")

    tools = {"search": lambda q="": f"results for {q}", "calc": lambda x=0: x * 2, "flaky": flaky,
             "garbage": lambda **kw: object(), "hang": lambda **kw: release.wait(5),
             "shell": lambda **kw: dangerous.append(("shell", kw)), "delete_files": lambda **kw: dangerous.append(("rm", kw))}
    return tools, dangerous, release


VALIDATORS = {"garbage": lambda r: isinstance(r, str), "calc": lambda r: isinstance(r, int)}
VARIANTS = ["shell", "Shell", "SHELL", "shell ", " shell", "shell\x00", "sh\u200bell", "\u0455hell", "search\n",
            "Search", "search ", "ѕearch", "delete_files", "delete-files", "calc; shell", "ghost", "", "../shell"]
names = st.one_of(st.sampled_from(VARIANTS), st.text(max_size=8),
                  st.sampled_from([None, 1, 2.5, b"search", ("search",), ["search"], {"search"}]))


@given(name=names)
@example(name="ghost")          # allowed but not registered
@example(name="shell")          # registered but not allowed
@example(name=b"search")
def test_wrapper_never_lets_a_disallowed_tool_through(kata, name):
    tools, dangerous, release = toolbox()
    wrapper = kata.SafetyWrapper(tools, ALLOWED, timeout=0.05, validators=VALIDATORS)
    status, _ = wrapper.call(name, {})
    release.set()
    legit = isinstance(name, str) and name in ALLOWED and name in tools
    assert dangerous == [], f"SafetyWrapper.call({name!r}) ran a dangerous tool: {dangerous}"
    if not legit:
        assert status == "blocked", f"SafetyWrapper.call({name!r}) returned status {status!r}, expected 'blocked'"


@given(case=st.sampled_from(["search", "calc", "flaky", "garbage", "calc_bad", "hang", "validator_raises"]))
def test_wrapper_statuses(kata, case):
    tools, dangerous, release = toolbox()
    tools["calc_bad"] = lambda x=0: "not a number"
    validators = {**VALIDATORS, "calc_bad": lambda r: isinstance(r, int), "validator_raises": lambda r: r["missing"]}
    tools["validator_raises"] = lambda: {}
    wrapper = kata.SafetyWrapper(tools, ALLOWED | {"calc_bad", "validator_raises"}, timeout=0.05, validators=validators)
    args = {"search": {"q": "tybalt"}, "calc": {"x": 21}, "flaky": {"n": 1}}.get(case, {})
    try:
        status, value = wrapper.call(case, args)
    finally:
        release.set()
    want_status = {"search": "ok", "calc": "ok", "flaky": "error", "garbage": "invalid", "calc_bad": "invalid",
                   "hang": "timeout", "validator_raises": "invalid"}[case]
    assert status == want_status, f"SafetyWrapper.call({case!r}, {args}) returned status {status!r}, expected {want_status!r}"
    if case == "search":
        assert value == "results for tybalt", f"call('search') returned {value!r}"
    if case == "calc":
        assert value == 42, f"call('calc', x=21) returned {value!r}"
    if case == "flaky":
        assert value == repr(ValueError("flaky failed on {'n': 1}")), f"call('flaky') returned {value!r}, expected the repr of its error"


def test_default_timeout_lets_a_slow_tool_finish(kata):
    tools = {"slow": lambda: time.sleep(0.05) or "done"}
    status, value = kata.SafetyWrapper(tools, {"slow"}).call("slow", {})
    assert (status, value) == ("ok", "done"), f"a 0.05 s tool under the default timeout returned {(status, value)}"
    status, _ = kata.SafetyWrapper(tools, {"slow"}, timeout=0.005).call("slow", {})
    assert status == "timeout", f"a 0.05 s tool with timeout=0.005 returned {status!r}, expected 'timeout'"


def planner_for(plan: list[list[tuple[str, object]]]) -> object:
    """A scripted planner: after the i-th successful task, add the tasks plan[i] (tool, arg)."""
    counter = {"n": 0, "made": 0}

    def planner(task: dict, result: object) -> list[dict]:
        i = counter["n"]
        counter["n"] += 1
        new = []
        for tool, arg in (plan[i] if i < len(plan) else []):
            counter["made"] += 1
            new.append({"id": f"p{counter['made']}", "tool": tool, "args": {} if arg is None else {"q": arg}})
        return new
    return planner


def reference(tasks: list, wrapper: object, planner: object, max_iterations: int) -> dict:
    queue, log = list(tasks), []
    while queue:
        if len(log) == max_iterations:
            return {"log": log, "pending": queue, "reason": "max_iterations"}
        task = queue.pop(0)
        status, value = wrapper.call(task["tool"], task["args"])
        log.append({"id": task["id"], "status": status, "value": value})
        if status == "ok":
            queue += planner(task, value)
    return {"log": log, "pending": [], "reason": "done"}


steps = st.lists(st.lists(st.tuples(st.sampled_from(["search", "shell", "Search", "flaky", "garbage", "ghost", None]),
                                    st.sampled_from([None, "romeo"])), max_size=3), max_size=5)


@settings(max_examples=30)
@given(initial=st.lists(st.sampled_from(["search", "flaky", "shell", "garbage", "delete_files"]), min_size=1, max_size=4),
       plan=steps, max_iterations=st.integers(0, 10))
@example(initial=["search"], plan=[[("search", None), ("shell", "rm -rf /")], [("search", "x")]], max_iterations=3)
@example(initial=["shell", "flaky"], plan=[], max_iterations=0)
def test_agent_matches_reference_and_loses_nothing(kata, initial, plan, max_iterations):
    tools, dangerous, release = toolbox()
    wrapper = kata.SafetyWrapper(tools, ALLOWED, timeout=0.05, validators=VALIDATORS)
    tasks = [{"id": f"t{i}", "tool": t, "args": {}} for i, t in enumerate(initial)]
    call = f"run_agent(tools {initial}, plan {plan}, max_iterations={max_iterations})"
    got = kata.run_agent(list(tasks), wrapper, planner_for(plan), max_iterations=max_iterations)
    want = reference(list(tasks), kata.SafetyWrapper(toolbox()[0], ALLOWED, timeout=0.05, validators=VALIDATORS),
                     planner_for(plan), max_iterations)
    release.set()
    assert dangerous == [], f"{call} ran a dangerous tool: {dangerous}"
    strip = lambda log: [(e["id"], e["status"], e["value"] if e["status"] in ("ok", "error") else None) for e in log]  # noqa: E731
    assert strip(got["log"]) == strip(want["log"]), f"{call} logged {strip(got['log'])}, expected {strip(want['log'])}"
    assert [t["id"] for t in got["pending"]] == [t["id"] for t in want["pending"]], (
        f"{call} left pending {[t['id'] for t in got['pending']]}, expected {[t['id'] for t in want['pending']]}")
    assert got["reason"] == want["reason"], f"{call} stopped with {got['reason']!r}, expected {want['reason']!r}"
    seen = [e["id"] for e in got["log"]] + [t["id"] for t in got["pending"]]
    assert len(seen) == len(set(seen)), f"{call}: a task is both logged and pending, or twice: {seen}"


def test_agent_default_max_iterations_is_twenty(kata):
    tools, _, _ = toolbox()
    wrapper = kata.SafetyWrapper(tools, ALLOWED, timeout=0.05)
    got = kata.run_agent([{"id": "t0", "tool": "search", "args": {}}], wrapper,
                         lambda task, result: [{"id": task["id"] + "+", "tool": "search", "args": {}}])
    assert (len(got["log"]), len(got["pending"]), got["reason"]) == (20, 1, "max_iterations"), (
        f"an endless planner under the default limit gave {len(got['log'])} logged, {len(got['pending'])} pending, {got['reason']!r}")


@given(at=st.integers(0, 3))
def test_a_broken_planner_ends_the_loop_cleanly(kata, at):
    tools, dangerous, _ = toolbox()
    wrapper = kata.SafetyWrapper(tools, ALLOWED, timeout=0.05)
    calls = {"n": 0}

    def planner(task: dict, result: object) -> list[dict]:
        calls["n"] += 1
        if calls["n"] > at:
            raise RuntimeError("planner crashed")
        return [{"id": f"new{calls['n']}", "tool": "search", "args": {}}]

    tasks = [{"id": f"t{i}", "tool": "search", "args": {}} for i in range(3)]
    got = kata.run_agent(tasks, wrapper, planner)
    assert got["reason"] == "planner_error" and got.get("error") == repr(RuntimeError("planner crashed")), (
        f"run_agent with a planner that raises after {at} calls stopped with {got['reason']!r}, error {got.get('error')!r}")
    seen = [e["id"] for e in got["log"]] + [t["id"] for t in got["pending"]]
    want = sorted(["t0", "t1", "t2"] + [f"new{i}" for i in range(1, at + 1)])
    assert sorted(seen) == want, f"tasks lost or duplicated when the planner crashed: logged+pending {seen}, expected {want}"


def test_negative_max_iterations_raises(kata):
    tools, _, _ = toolbox()
    with pytest.raises(ValueError):
        kata.run_agent([], kata.SafetyWrapper(tools, ALLOWED), lambda t, r: [], max_iterations=-1)
        pytest.fail("run_agent(max_iterations=-1) returned instead of raising ValueError")
