"""Tests for ret-05-2, a LangGraph-style state-graph orchestrator with a tool registry.

References: a second, independent interpreter of the documented semantics (written here, step by
step), run on an agent graph with a loop, a conditional edge and flaky tools whose failure counts,
retry budget and step limit are drawn; closed-form expectations (the run fails exactly when some
lookup fails more often than it may be retried); and replays that must reproduce a run's whole result
without calling a tool.
"""
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

END = "END"


class Flaky:
    """A lookup tool that fails the first failures[key] calls for each key."""

    def __init__(self, failures: dict[str, int]) -> None:
        self.failures, self.calls = failures, {}

    def __call__(self, key: str) -> str:
        self.calls[key] = self.calls.get(key, 0) + 1
        if self.calls[key] <= self.failures.get(key, 0):
            raise TimeoutError(f"lookup {key} timed out")
        return key.upper()


def graph(keys: list[str]) -> tuple[dict, dict]:
    def plan(state: dict, call_tool: object) -> dict:
        return {"todo": list(keys), "i": 0, "found": []}

    def search(state: dict, call_tool: object) -> dict:
        result = call_tool("lookup", key=state["todo"][state["i"]])
        return {"found": state["found"] + [result], "i": state["i"] + 1}

    def answer(state: dict, call_tool: object) -> dict:
        return {"answer": call_tool("join", parts=list(state["found"]))}

    nodes = {"plan": plan, "search": search, "answer": answer}
    edges = {"plan": lambda s: "search" if s["todo"] else "answer",
             "search": lambda s: "search" if s["i"] < len(s["todo"]) else "answer",
             "answer": END}
    return nodes, edges


def reference(nodes: dict, edges: dict, entry: str, state: dict, tools: dict, max_steps: int, max_retries: int) -> dict:
    trace, current, steps, state = [], entry, 0, dict(state)

    class Failed(Exception):
        pass

    while current != END:
        if steps == max_steps:
            return {"state": state, "status": "max_steps", "steps": steps, "trace": trace}

        def call_tool(tool: str, _node: str = current, **kwargs: object) -> object:
            if tool not in tools:
                raise Failed(f"node {_node!r}: unknown tool {tool!r}")
            for attempt in range(1, max_retries + 2):
                try:
                    result = tools[tool](**kwargs)
                    trace.append({"type": "tool", "node": _node, "tool": tool, "args": kwargs, "attempt": attempt,
                                  "ok": True, "result": result})
                    return result
                except Exception as exc:  # noqa: BLE001
                    trace.append({"type": "tool", "node": _node, "tool": tool, "args": kwargs, "attempt": attempt,
                                  "ok": False, "error": repr(exc)})
            raise Failed(f"node {_node!r}: tool {tool!r} failed")
        try:
            update = nodes[current](state, call_tool)
        except Failed as f:
            return {"state": state, "status": "error", "steps": steps, "trace": trace, "reason": str(f)}
        state = {**state, **update}
        trace.append({"type": "node", "node": current, "update": update})
        steps += 1
        current = edges[current] if isinstance(edges[current], str) else edges[current](state)
    return {"state": state, "status": "done", "steps": steps, "trace": trace}


def tools_for(failures: dict[str, int]) -> dict:
    return {"lookup": Flaky(failures), "join": lambda parts: "+".join(parts)}


def check(got: dict, want: dict, call: str) -> None:
    for key in ("status", "steps", "state", "reason"):
        assert got.get(key) == want.get(key), f"{call} returned {key} {got.get(key)!r}, expected {want.get(key)!r}"
    for i, (g, w) in enumerate(zip(got["trace"], want["trace"], strict=False)):
        assert g == w, f"{call}: trace entry {i} is {g}, expected {w}"
    assert len(got["trace"]) == len(want["trace"]), f"{call}: trace has {len(got['trace'])} entries, expected {len(want['trace'])}"


RUNS = dict(keys=st.lists(st.sampled_from(["a", "b", "c", "d"]), max_size=4, unique=True),
            fails=st.lists(st.integers(0, 3), min_size=4, max_size=4), max_steps=st.integers(1, 8),
            max_retries=st.integers(0, 3))


@settings(max_examples=40)
@given(**RUNS)
@example(keys=["a", "b"], fails=[1, 0, 0, 0], max_steps=4, max_retries=1)    # a retry that succeeds; exactly enough steps
@example(keys=["a", "b"], fails=[0, 2, 0, 0], max_steps=8, max_retries=1)    # retries exhausted on b
@example(keys=["a", "b", "c"], fails=[0, 0, 0, 0], max_steps=4, max_retries=0)  # one step short
@example(keys=[], fails=[0, 0, 0, 0], max_steps=2, max_retries=0)
def test_run_matches_the_reference_interpreter(kata, keys, fails, max_steps, max_retries):
    nodes, edges = graph(keys)
    failures = dict(zip(["a", "b", "c", "d"], fails, strict=True))
    state = {"question": "q"}
    call = f"run_graph(keys={keys}, failures={failures}, max_steps={max_steps}, max_retries={max_retries})"
    got = kata.run_graph(nodes, edges, "plan", state, tools_for(failures), max_steps=max_steps, max_retries=max_retries)
    assert state == {"question": "q"}, f"{call} modified the caller's state dict: {state}"
    want = reference(nodes, edges, "plan", {"question": "q"}, tools_for(failures), max_steps, max_retries)
    check(got, want, call)
    needed = 2 + len(keys)
    too_flaky = [k for k in keys if failures[k] > max_retries]
    if not too_flaky and needed <= max_steps:
        assert got["status"] == "done" and got["state"]["answer"] == "+".join(k.upper() for k in keys), \
            f"{call} should answer {'+'.join(k.upper() for k in keys)!r}, got {got['status']} {got['state'].get('answer')!r}"


@given(keys=st.lists(st.sampled_from(["a", "b", "c"]), min_size=1, max_size=3, unique=True))
def test_defaults_are_twenty_steps_and_one_retry(kata, keys):
    nodes, edges = graph(keys)
    failures = {k: 1 for k in keys}
    got = kata.run_graph(nodes, edges, "plan", {}, tools_for(failures))
    check(got, reference(nodes, edges, "plan", {}, tools_for(failures), 20, 1), f"run_graph(keys={keys}) with defaults")
    looping = {"spin": lambda s, t: {"n": s.get("n", 0) + 1}}
    out = kata.run_graph(looping, {"spin": "spin"}, "spin", {}, {})
    assert (out["status"], out["steps"], out["state"]) == ("max_steps", 20, {"n": 20}), (
        f"a node looping on itself stopped with {out['status']} after {out['steps']} steps, expected max_steps after 20")


def test_unknown_tool_stops_the_run(kata):
    nodes = {"start": lambda s, t: {"x": 1}, "bad": lambda s, t: {"y": t("nonexistent", q=1)}}
    got = kata.run_graph(nodes, {"start": "bad", "bad": END}, "start", {}, {"other": lambda: 0})
    want = {"state": {"x": 1}, "status": "error", "steps": 1, "reason": "node 'bad': unknown tool 'nonexistent'",
            "trace": [{"type": "node", "node": "start", "update": {"x": 1}}]}
    check(got, want, "run_graph with a node calling an unregistered tool")


@given(bad=st.sampled_from([{"entry": "nowhere"}, {"max_steps": 0}, {"max_retries": -1}]))
def test_bad_arguments_raise(kata, bad):
    nodes, edges = graph(["a"])
    kwargs = {"max_steps": 5, "max_retries": 1, **{k: v for k, v in bad.items() if k != "entry"}}
    with pytest.raises(ValueError):
        kata.run_graph(nodes, edges, bad.get("entry", "plan"), {}, tools_for({}), **kwargs)
        pytest.fail(f"run_graph with {bad} returned instead of raising ValueError")


@settings(max_examples=25)
@given(**RUNS)
@example(keys=["a", "b"], fails=[1, 3, 0, 0], max_steps=8, max_retries=2)
def test_replay_reproduces_the_run_without_tools(kata, keys, fails, max_steps, max_retries):
    nodes, edges = graph(keys)
    failures = dict(zip(["a", "b", "c", "d"], fails, strict=True))
    recorded = kata.run_graph(nodes, edges, "plan", {"question": "q"}, tools_for(failures),
                              max_steps=max_steps, max_retries=max_retries)
    call = f"replay of run_graph(keys={keys}, failures={failures}, max_steps={max_steps}, max_retries={max_retries})"
    got = kata.replay(nodes, edges, "plan", {"question": "q"}, recorded["trace"], ["lookup", "join"],
                      max_steps=max_steps, max_retries=max_retries)
    check(got, reference(nodes, edges, "plan", {"question": "q"}, tools_for(failures), max_steps, max_retries), call)


@given(change=st.sampled_from(["args", "tool", "truncate"]), keys=st.lists(st.sampled_from(["a", "b", "c"]), min_size=1,
                                                                         max_size=3, unique=True))
def test_replay_rejects_a_diverging_trace(kata, change, keys):
    nodes, edges = graph(keys)
    recorded = kata.run_graph(nodes, edges, "plan", {}, tools_for({}), max_steps=10, max_retries=0)
    trace = [dict(e) for e in recorded["trace"]]
    first = next(i for i, e in enumerate(trace) if e["type"] == "tool")
    if change == "args":
        trace[first]["args"] = {"key": "zzz"}
    elif change == "tool":
        trace[first]["tool"] = "join"
    else:
        trace = trace[:first + 1]    # the later attempts are missing
    with pytest.raises(ValueError):
        kata.replay(nodes, edges, "plan", {}, trace, ["lookup", "join"], max_steps=10, max_retries=0)
        pytest.fail(f"replay with a trace whose first tool attempt was changed ({change}) returned instead of raising ValueError")
