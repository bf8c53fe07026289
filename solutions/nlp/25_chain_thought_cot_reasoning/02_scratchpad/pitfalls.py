"""Plausible wrong scratchpads and verifiers that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from scratchpad import parse_scratchpad


@pitfall(replaces="addition_scratchpad", why="stops when the digits run out, dropping the final carry line")
def drops_final_carry(a: int, b: int) -> str:
    if a < 0 or b < 0:
        raise ValueError("negative")
    da, db = str(a)[::-1], str(b)[::-1]
    lines, carry = [f"a = {a}, b = {b}"], 0
    for i in range(max(len(da), len(db))):
        x = int(da[i]) if i < len(da) else 0
        y = int(db[i]) if i < len(db) else 0
        s = x + y + carry
        lines.append(f"digit {i}: {x} + {y} + {carry} = {s}, write {s % 10}, carry {s // 10}")
        carry = s // 10
    return "\n".join(lines + [f"answer: {a + b}"])


@pitfall(replaces="addition_scratchpad", why="digits taken from the left (most significant first)")
def left_to_right(a: int, b: int) -> str:
    if a < 0 or b < 0:
        raise ValueError("negative")
    da, db = str(a), str(b)
    lines, carry, i = [f"a = {a}, b = {b}"], 0, 0
    while i < max(len(da), len(db)) or carry:
        x = int(da[i]) if i < len(da) else 0
        y = int(db[i]) if i < len(db) else 0
        s = x + y + carry
        lines.append(f"digit {i}: {x} + {y} + {carry} = {s}, write {s % 10}, carry {s // 10}")
        carry, i = s // 10, i + 1
    return "\n".join(lines + [f"answer: {a + b}"])


@pitfall(replaces="first_error", why="checks only each step's own arithmetic, not the digits or the carry chain")
def arithmetic_only(text: str) -> int | None:
    a, b, steps, answer = parse_scratchpad(text)
    for k, (_i, x, y, c, s, w, co) in enumerate(steps):
        if s != x + y + c or (w, co) != (s % 10, s // 10):
            return k
    return None if answer == a + b else len(steps)


@pitfall(replaces="first_error", why="only checks the final answer (outcome supervision)")
def answer_only(text: str) -> int | None:
    a, b, steps, answer = parse_scratchpad(text)
    return None if answer == a + b else len(steps)
