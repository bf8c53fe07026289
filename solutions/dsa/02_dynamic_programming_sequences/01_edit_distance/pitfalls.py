"""Plausible wrong edit distances and alignments that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from edit_distance import alignment

_align = alignment


@pitfall(replaces="edit_distance", why="first row and column left at 0 instead of 0, 1, 2, ...")
def uninitialised_borders(a: str, b: str) -> int:
    prev = [0] * (len(b) + 1)
    for i in range(1, len(a) + 1):
        cur = [0] * (len(b) + 1)
        for j in range(1, len(b) + 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1]))
        prev = cur
    return prev[-1]


@pitfall(replaces="edit_distance", why="substitution costs 2 (a delete plus an insert): that is the LCS-based distance")
def substitution_two(a: str, b: str) -> int:
    prev = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        cur = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + 2 * (a[i - 1] != b[j - 1]))
        prev = cur
    return prev[-1]


@pitfall(replaces="edit_distance", why="counts mismatching positions plus the length difference (Hamming-style)")
def hamming_like(a: str, b: str) -> int:
    return sum(x != y for x, y in zip(a, b, strict=False)) + abs(len(a) - len(b))


@pitfall(replaces="alignment", why="labels insertions as deletions and the other way round")
def swapped_labels(a: str, b: str) -> list[tuple[str, str | None, str | None]]:
    swap = {"insert": "delete", "delete": "insert"}
    return [(swap.get(op, op), x, y) for op, x, y in _align(a, b)]


@pitfall(replaces="alignment", why="forgets to reverse the backtrace: operations come out last-first")
def not_reversed(a: str, b: str) -> list[tuple[str, str | None, str | None]]:
    return _align(a, b)[::-1]
