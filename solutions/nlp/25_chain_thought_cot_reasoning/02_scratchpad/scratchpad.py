"""Reference solution for nlp-25-2."""
from __future__ import annotations

import re

STEP = re.compile(r"digit (\d+): (\d) \+ (\d) \+ (\d) = (\d+), write (\d), carry (\d)$")


def addition_scratchpad(a: int, b: int) -> str:
    if a < 0 or b < 0:
        raise ValueError("only non-negative numbers")
    da, db = str(a)[::-1], str(b)[::-1]
    lines = [f"a = {a}, b = {b}"]
    carry, i = 0, 0
    while i < max(len(da), len(db)) or carry:
        x = int(da[i]) if i < len(da) else 0
        y = int(db[i]) if i < len(db) else 0
        s = x + y + carry
        lines.append(f"digit {i}: {x} + {y} + {carry} = {s}, write {s % 10}, carry {s // 10}")
        carry, i = s // 10, i + 1
    lines.append(f"answer: {a + b}")
    return "\n".join(lines)


def parse_scratchpad(text: str) -> tuple[int, int, list[tuple[int, ...]], int]:
    lines = text.strip().split("\n")
    head = re.fullmatch(r"a = (\d+), b = (\d+)", lines[0])
    tail = re.fullmatch(r"answer: (\d+)", lines[-1])
    if not head or not tail:
        raise ValueError("malformed scratchpad: header or answer line")
    steps = []
    for line in lines[1:-1]:
        m = STEP.match(line)
        if not m:
            raise ValueError(f"malformed step: {line!r}")
        steps.append(tuple(int(g) for g in m.groups()))
    return int(head.group(1)), int(head.group(2)), steps, int(tail.group(1))


def first_error(text: str) -> int | None:
    a, b, steps, answer = parse_scratchpad(text)
    da, db = str(a)[::-1], str(b)[::-1]
    carry = 0
    written = []
    for k, (i, x, y, c, s, w, co) in enumerate(steps):
        want_x = int(da[k]) if k < len(da) else 0
        want_y = int(db[k]) if k < len(db) else 0
        if (i, x, y, c) != (k, want_x, want_y, carry) or s != x + y + c or (w, co) != (s % 10, s // 10):
            return k
        carry = co
        written.append(str(w))
    needed = max(len(da), len(db))
    if len(steps) < needed or carry:
        return len(steps)
    if answer != a + b or int("".join(reversed(written)) or "0") != answer:
        return len(steps)
    return None
