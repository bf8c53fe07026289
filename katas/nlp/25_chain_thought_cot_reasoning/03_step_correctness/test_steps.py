"""Tests for nlp-25-3, parsing reasoning chains and scoring their intermediate steps.

References: Python's own evaluation of generated integer expressions (safe_eval must agree, and refuse
anything else); chains generated from known steps (parse_steps must give them back); the scripted noisy
reasoner, whose step accuracy is 1 - p_slip and whose "lucky" rate (right answer from wrong steps) is
p_slip^2 / 4 exactly, checked over seeded samples within five standard errors.
"""
import math

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import seeds

EXPR = st.recursive(st.integers(0, 30).map(str),
                    lambda inner: st.one_of(
                        st.tuples(inner, st.sampled_from(["+", "-", "*"]), inner).map(lambda t: f"{t[0]} {t[1]} {t[2]}"),
                        inner.map(lambda e: f"({e})"), inner.map(lambda e: f"-{e}")), max_leaves=6)


@given(expr=EXPR)
@example(expr="2 + 3 * 4")
@example(expr="-(7 - 10) * -2")
def test_safe_eval_agrees_with_python(kata, expr):
    got = kata.safe_eval(expr)
    want = eval(expr, {"__builtins__": {}})  # noqa: S307 - the reference on generated arithmetic only
    assert got == want, f"safe_eval({expr!r}) = {got!r}, expected {want!r}"


@given(bad=st.sampled_from(["__import__('os').system('echo hi')", "x + 1", "2 ** 10", "7 / 2", "1.5 + 1", "'a' * 3",
                            "abs(-3)", "2 +", "[1, 2]", "(1).real"]))
def test_safe_eval_refuses_everything_else(kata, bad):
    with pytest.raises(ValueError):
        kata.safe_eval(bad)


@given(steps=st.lists(st.tuples(EXPR, st.integers(-99, 99)), max_size=4),
       connectives=st.lists(st.sampled_from(["", "First, ", "Then ", "So ", "Next, ", "Finally "]), min_size=4, max_size=4),
       answer=st.integers(-99, 99))
@example(steps=[("4 * 5", 20), ("3 + 20", 23)], connectives=["First, ", "Then ", "", ""], answer=23)
def test_parse_steps(kata, steps, connectives, answer):
    chain = " ".join(f"{c}{e} = {v}." for (e, v), c in zip(steps, connectives, strict=False))
    chain += f" Let me check. The answer is {answer}."
    got = [(e.strip(), int(v)) for e, v in kata.parse_steps(chain)]
    assert got == [(e, v) for e, v in steps], f"parse_steps({chain!r}) = {got}, expected {steps}"


@given(steps=st.lists(st.tuples(EXPR, st.integers(-3, 3)), min_size=1, max_size=4))
def test_step_correctness(kata, steps):
    steps = [(e, eval(e, {"__builtins__": {}}) + off) for e, off in steps]  # noqa: S307
    chain = " ".join(f"{e} = {v}." for e, v in steps)
    got = list(kata.step_correctness(chain))
    want = [eval(e, {"__builtins__": {}}) == v for e, v in steps]  # noqa: S307
    assert got == want, f"step_correctness({chain!r}) = {got}, expected {want}"


@given(first=st.integers(-2, 2), second=st.integers(-2, 2), truth_off=st.sampled_from([0, 1]))
@example(first=1, second=-1, truth_off=0)   # two slips that cancel: right answer, wrong steps
def test_classify_chain(kata, first, second, truth_off):
    prod = 20 + first
    total = 3 + prod + second
    chain = f"First, 4 * 5 = {prod}. Then 3 + {prod} = {total}. The answer is {total}."
    truth = 23 + truth_off
    want = ("sound" if first == second == 0 else "lucky") if total == truth else "wrong_answer"
    got = kata.classify_chain(chain, truth)
    assert got == want, f"classify_chain({chain!r}, {truth}) = {got!r}, expected {want!r}"


def test_classify_chain_uses_the_last_stated_answer(kata):
    chain = "The answer is 20. First, 4 * 5 = 20. Then 3 + 20 = 23. The answer is 23."
    for truth, want in ((23, "sound"), (20, "wrong_answer")):
        got = kata.classify_chain(chain, truth)
        assert got == want, (f"classify_chain({chain!r}, {truth}) = {got!r}, expected {want!r}: the final answer is "
                             "the last 'The answer is N'")
    assert kata.classify_chain("First, 4 * 5 = 20.", 20) == "wrong_answer", "a chain with no stated answer is wrong_answer"


def test_step_accuracy_needs_steps(kata):
    with pytest.raises(ValueError):
        kata.step_accuracy(["The answer is 4."])


@settings(max_examples=4)
@given(p_slip=st.sampled_from([0.1, 0.3, 0.5]), seed=seeds())
def test_measured_rates_on_the_noisy_reasoner(kata, p_slip, seed):
    rng = np.random.default_rng(seed)
    n = 2000
    qs = rng.integers(1, 20, (n, 3))
    chains = [kata.noisy_reasoner(f"{a} + {b} * {c}", rng, p_slip) for a, b, c in qs]
    acc = kata.step_accuracy(chains)
    se = math.sqrt(p_slip * (1 - p_slip) / (2 * n))
    assert abs(acc - (1 - p_slip)) <= 5 * se, (
        f"step accuracy over {n} chains with p_slip={p_slip}: {acc:.4f}, expected 1 - p_slip = {1 - p_slip} "
        f"(+- {5 * se:.4f})")
    lucky = np.mean([kata.classify_chain(ch, int(a + b * c)) == "lucky" for ch, (a, b, c) in zip(chains, qs, strict=True)])
    want = p_slip ** 2 / 4
    se = math.sqrt(want * (1 - want) / n)
    assert abs(lucky - want) <= 5 * se + 1e-9, (
        f"fraction of 'lucky' chains (right answer, wrong steps) {lucky:.4f}, expected p_slip^2 / 4 = {want:.4f}: "
        f"both steps slip and the offsets cancel; outcome-only grading would count these as correct")


@given(chains=st.lists(st.lists(st.tuples(EXPR, st.integers(-1, 1)), min_size=1, max_size=4), min_size=1, max_size=4))
@example(chains=[[("1 + 1", 0)], [("2 + 2", 1), ("3", 0), ("4", 0)]])   # 1 of 1 right, 2 of 3 right: pooled 3/4
def test_step_accuracy_pools_all_steps(kata, chains):
    texts, flags = [], []
    for steps in chains:
        steps = [(e, eval(e, {"__builtins__": {}}) + off) for e, off in steps]  # noqa: S307
        texts.append(" ".join(f"{e} = {v}." for e, v in steps))
        flags += [eval(e, {"__builtins__": {}}) == v for e, v in steps]  # noqa: S307
    got = kata.step_accuracy(texts)
    assert abs(got - np.mean(flags)) < 1e-12, (
        f"step_accuracy({texts}) = {got}, expected {np.mean(flags)}: correct steps / all steps, pooled over chains")
