"""Tests for nlp-25-2, a scratchpad for multi-digit addition and a step verifier.

References: Python's integer addition for every answer; the scratchpad format written out digit by
digit with carries; corrupted scratchpads (one field of one line changed, a step dropped, a wrong
answer) whose first wrong step is known by construction.
"""
import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

NUMBERS = st.integers(0, 10**8)


def ref_scratchpad(a: int, b: int) -> list[str]:
    da, db = str(a)[::-1], str(b)[::-1]
    lines, carry, i = [f"a = {a}, b = {b}"], 0, 0
    while i < max(len(da), len(db)) or carry:
        x = int(da[i]) if i < len(da) else 0
        y = int(db[i]) if i < len(db) else 0
        s = x + y + carry
        lines.append(f"digit {i}: {x} + {y} + {carry} = {s}, write {s % 10}, carry {s // 10}")
        carry, i = s // 10, i + 1
    return lines + [f"answer: {a + b}"]


@given(a=NUMBERS, b=NUMBERS)
@example(a=0, b=0)
@example(a=999, b=1)       # carries all the way: an extra digit
@example(a=5, b=12345)
def test_addition_scratchpad(kata, a, b):
    got = kata.addition_scratchpad(a, b)
    want = "\n".join(ref_scratchpad(a, b))
    assert got == want, f"addition_scratchpad({a}, {b}) =\n{got}\nexpected\n{want}"
    assert got.endswith(f"answer: {a + b}")


def test_negative_numbers_raise(kata):
    with pytest.raises(ValueError):
        kata.addition_scratchpad(-1, 5)


@given(a=NUMBERS, b=NUMBERS)
def test_parse_scratchpad(kata, a, b):
    lines = ref_scratchpad(a, b)
    got_a, got_b, steps, answer = kata.parse_scratchpad("\n".join(lines))
    want = [tuple(int(g) for g in re.findall(r"\d+", line)) for line in lines[1:-1]]
    assert (got_a, got_b, answer) == (a, b, a + b), f"parse_scratchpad: header/answer parsed as {(got_a, got_b, answer)}"
    assert [tuple(s) for s in steps] == want, f"parse_scratchpad: steps {steps}, expected {want}"


@given(bad=st.sampled_from(["", "a = 1, b = 2\nanswer: 3\nextra", "a = 1\ndigit 0: 1 + 2 + 0 = 3, write 3, carry 0\nanswer: 3",
                            "a = 1, b = 2\ndigit 0: 1 + 2 = 3\nanswer: 3"]))
def test_parse_rejects_malformed_text(kata, bad):
    with pytest.raises(ValueError):
        kata.parse_scratchpad(bad)


@given(a=NUMBERS, b=NUMBERS)
def test_correct_scratchpads_verify(kata, a, b):
    assert kata.first_error("\n".join(ref_scratchpad(a, b))) is None, (
        f"first_error flagged the correct scratchpad of {a} + {b}")


@given(a=NUMBERS, b=NUMBERS, data=st.data())
@example(a=999, b=1, data=None)
def test_first_error_finds_the_corrupted_step(kata, a, b, data):
    lines = ref_scratchpad(a, b)
    steps = lines[1:-1]
    k = data.draw(st.integers(0, len(steps) - 1)) if data else len(steps) - 1
    field = data.draw(st.integers(1, 7)) if data else 6
    nums = re.findall(r"\d+", steps[k])
    old = int(nums[field - 1])
    nums[field - 1] = str((old + 1) % 10 if field != 5 else old + 1)
    i, x, y, c, s, w, co = nums
    corrupted = f"digit {i}: {x} + {y} + {c} = {s}, write {w}, carry {co}"
    text = "\n".join(lines[:1 + k] + [corrupted] + lines[2 + k:])
    got = kata.first_error(text)
    assert got == k, (f"first_error on the scratchpad of {a} + {b} with step {k} changed to {corrupted!r} returned "
                      f"{got!r}, expected {k} (check digits against a and b, the carry in against the previous carry "
                      f"out, the sum, and the written digit and carry)")


@given(a=NUMBERS, b=NUMBERS, kind=st.sampled_from(["answer", "drop_last"]))
@example(a=999, b=1, kind="drop_last")      # the final carry step is missing
def test_first_error_checks_the_end(kata, a, b, kind):
    lines = ref_scratchpad(a, b)
    if kind == "answer":
        lines[-1] = f"answer: {a + b + 1}"
        want = len(lines) - 2
    else:
        if len(lines) <= 3:
            return
        lines = lines[:-2] + lines[-1:]
        want = len(lines) - 2
    got = kata.first_error("\n".join(lines))
    assert got == want, (f"first_error returned {got!r} for the scratchpad of {a} + {b} with a {kind} fault, expected "
                         f"{want} (= number of steps: the steps are fine but they do not reach the right answer)")
