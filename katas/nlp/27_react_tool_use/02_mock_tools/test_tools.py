"""Tests for nlp-27-2, mock tools for an agent: exact calculator, corpus search, sandboxed code executor.

References: fractions.Fraction arithmetic for the calculator (exact, never float); rank_bm25.BM25Okapi
for the search ranking; real child processes for the executor, whose limits are checked by effect: an
infinite loop times out, a memory bomb hits the memory cap, writes outside the sandbox directory and
network connections are refused (and the outside file really does not appear).
"""
import os
import re
import uuid
from fractions import Fraction

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from rank_bm25 import BM25Okapi

NUM = st.one_of(st.integers(0, 50).map(str), st.sampled_from(["0.5", "2.25", "10.1"]))
EXPR = st.recursive(NUM, lambda inner: st.one_of(
    st.tuples(inner, st.sampled_from(["+", "-", "*", "/"]), inner).map(lambda t: f"{t[0]} {t[1]} {t[2]}"),
    inner.map(lambda e: f"({e})"), inner.map(lambda e: f"-{e}")), max_leaves=5)


def exact(expr: str) -> Fraction:
    return eval(re.sub(r"\d+(\.\d+)?", lambda m: f"Fraction('{m.group(0)}')", expr), {"Fraction": Fraction})  # noqa: S307


@given(expr=EXPR)
@example(expr="1 / 3 + 1 / 6")      # 1/2, not 0.5000000001
@example(expr="0.1 + 0.2")
@example(expr="6 / 3")              # an integer result prints without a denominator
def test_calculator_is_exact(kata, expr):
    try:
        want = exact(expr)
    except ZeroDivisionError:
        with pytest.raises(ValueError):
            kata.calculator(expr)
        return
    text = str(want.numerator) if want.denominator == 1 else f"{want.numerator}/{want.denominator}"
    got = kata.calculator(expr)
    assert got == text, f"calculator({expr!r}) = {got!r}, expected {text!r} (exact rational arithmetic)"


@given(bad=st.sampled_from(["2 ** 8", "__import__('os')", "x + 1", "1 / 0", "abs(-1)", "1 +", "'a'"]))
def test_calculator_refuses(kata, bad):
    with pytest.raises(ValueError):
        kata.calculator(bad)


DOCS = [("Paris", "paris is the capital of france and its largest city"),
        ("Berlin", "berlin is the capital of germany"),
        ("Rhine", "the rhine flows through germany and the netherlands"),
        ("Seine", "the seine flows through paris"),
        ("Alps", "the alps are a mountain range in europe"),
        ("Danube", "the danube flows through vienna budapest and belgrade and many other cities of central "
                   "europe to the black sea")]    # longer than 80 characters: the line shows the first 80


@given(query=st.lists(st.sampled_from("capital of germany paris flows the rhine europe mountains xyz".split()),
                      min_size=1, max_size=4).map(" ".join), k=st.integers(1, 5))
@example(query="xyz", k=3)
@example(query="flows europe", k=5)
def test_search_ranks_with_bm25(kata, query, k):
    tool = kata.SearchTool([t for t, _ in DOCS], [d for _, d in DOCS])
    got = tool(query, k)
    scores = BM25Okapi([d.split() for _, d in DOCS]).get_scores(query.split())
    order = [i for i in sorted(range(len(DOCS)), key=lambda i: (-scores[i], i)) if scores[i] > 0][:k]
    want = "\n".join(f"[{i}] {DOCS[i][0]}: {DOCS[i][1][:80]}" for i in order) or "No results."
    assert got == want, f"SearchTool(...)({query!r}, {k}) returned\n{got}\nexpected\n{want}"


def test_search_rejects_bad_corpora(kata):
    with pytest.raises(ValueError):
        kata.SearchTool(["a"], [])
    with pytest.raises(ValueError):
        kata.SearchTool([], [])


@settings(max_examples=2)  # each run starts a Python process
@given(a=st.integers(-100, 100), b=st.integers(-100, 100))
def test_run_code_captures_output(kata, a, b):
    result = kata.run_code(f"print({a} * {b})\nprint('done')")
    assert result["status"] == "ok" and result["stdout"] == f"{a * b}\ndone\n", f"run_code returned {result}"


def test_run_code_limits(kata):
    r = kata.run_code("while True:\n    pass", timeout_s=0.5)
    assert r["status"] == "timeout", f"an infinite loop must time out, got {r['status']!r}"
    r = kata.run_code("x = bytearray(4 * 10**9)", memory_mb=200)
    assert r["status"] == "memory", f"allocating 4 GB under a 200 MB cap must report 'memory', got {r}"
    r = kata.run_code("raise KeyError('boom')")
    assert r["status"] == "error" and "KeyError" in r["stderr"], f"an exception must report 'error', got {r}"


def test_run_code_sets_the_documented_limits(kata):
    """The child reads its own limits: RLIMIT_AS = memory_mb MiB, RLIMIT_CPU = max(1, int(timeout_s) + 1) s."""
    probe = "import resource\nprint(*resource.getrlimit(resource.RLIMIT_AS), *resource.getrlimit(resource.RLIMIT_CPU))"
    for timeout_s, memory_mb in ((0.5, 300), (2.0, 200)):
        r = kata.run_code(probe, timeout_s=timeout_s, memory_mb=memory_mb)
        assert r["status"] == "ok", f"run_code({probe!r}, timeout_s={timeout_s}, memory_mb={memory_mb}) returned {r}"
        got = [int(v) for v in r["stdout"].split()]
        cpu = max(1, int(timeout_s) + 1)
        want = [memory_mb * 2**20] * 2 + [cpu] * 2
        assert got == want, (
            f"run_code(timeout_s={timeout_s}, memory_mb={memory_mb}): the child saw RLIMIT_AS {got[:2]} and RLIMIT_CPU "
            f"{got[2:]}, expected {want[:2]} (memory_mb * 2**20 bytes) and {want[2:]} (max(1, int(timeout_s) + 1) s)")


def test_run_code_sandbox(kata):
    outside = f"/tmp/sandbox_escape_{uuid.uuid4().hex}.txt"
    r = kata.run_code(f"open({outside!r}, 'w').write('escaped')")
    assert r["status"] == "error" and not os.path.exists(outside), (
        f"writing {outside} must be refused (status {r['status']!r}, file exists: {os.path.exists(outside)})")
    r = kata.run_code("open('notes.txt', 'w').write('ok')\nprint(open('notes.txt').read())")
    assert r["status"] == "ok" and r["stdout"] == "ok\n", f"writing inside the sandbox directory must work, got {r}"
    r = kata.run_code("import socket\nsocket.create_connection(('example.com', 80))")
    assert r["status"] == "error" and "network" in r["stderr"], f"network access must be refused, got {r}"
