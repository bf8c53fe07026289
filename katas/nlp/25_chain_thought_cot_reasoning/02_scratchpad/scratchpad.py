"""nlp-25-2: a scratchpad for multi-digit addition and a step verifier. Edit this file;
`grader check nlp-25-2` tests it."""
from __future__ import annotations

import re

STEP = re.compile(r"digit (\d+): (\d) \+ (\d) \+ (\d) = (\d+), write (\d), carry (\d)$")


def addition_scratchpad(a: int, b: int) -> str:
    """The scratchpad of a + b, lines joined by "\n":

        a = {a}, b = {b}
        digit {i}: {x} + {y} + {c} = {s}, write {s % 10}, carry {s // 10}      one line per digit position i = 0, 1, ...
        answer: {a + b}

    x, y are the i-th digits from the right (0 past the end of a number), c the previous line's carry (0 at
    first). Lines continue while either number has digits left or the carry is 1.

    Raises:
        ValueError: if a or b is negative.
    """
    raise NotImplementedError("addition_scratchpad: long addition, one line per digit")


def parse_scratchpad(text: str) -> tuple[int, int, list[tuple[int, ...]], int]:
    """(a, b, steps, answer) with steps as tuples (i, x, y, c, s, written, carry) of ints.

    Raises:
        ValueError: if the header, a step or the answer line does not match the format.
    """
    raise NotImplementedError("parse_scratchpad: regular expressions for the three line kinds")


def first_error(text: str) -> int | None:
    """Index (0-based, among the digit steps) of the first wrong step: wrong position, wrong digits of a or b,
    carry in != previous carry out (0 first), s != x + y + c, or written/carry != s % 10 / s // 10. If every
    step is right but the steps do not finish the sum (too few, or a carry left over) or the answer is not
    a + b and the written digits, return the number of steps. None if the scratchpad is right.
    """
    raise NotImplementedError("first_error: check every step, then the end")
