"""Plausible wrong LCS code that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from lcs import _table


@pitfall(replaces="lcs_length", why="longest common substring: resets to 0 on a mismatch")
def common_substring(a: str, b: str) -> int:
    best, prev = 0, [0] * (len(b) + 1)
    for i in range(1, len(a) + 1):
        cur = [0] * (len(b) + 1)
        for j in range(1, len(b) + 1):
            cur[j] = prev[j - 1] + 1 if a[i - 1] == b[j - 1] else 0
            best = max(best, cur[j])
        prev = cur
    return best


@pitfall(replaces="lcs_length", why="on a match adds 1 to max(up, left): one character pairs with several")
def match_from_max(a: str, b: str) -> int:
    prev = [0] * (len(b) + 1)
    for i in range(1, len(a) + 1):
        cur = [0] * (len(b) + 1)
        for j in range(1, len(b) + 1):
            best = max(prev[j], cur[j - 1])
            cur[j] = best + 1 if a[i - 1] == b[j - 1] else best
        prev = cur
    return prev[-1]


@pitfall(replaces="lcs_length", why="greedy: pairs each character of a with the next equal one in b")
def greedy(a: str, b: str) -> int:
    n, pos = 0, 0
    for ch in a:
        k = b.find(ch, pos)
        if k >= 0:
            n, pos = n + 1, k + 1
    return n


@pitfall(replaces="lcs", why="forgets to reverse the characters collected by the backtrace")
def not_reversed(a: str, b: str) -> str:
    L = _table(a, b)
    out, i, j = [], len(a), len(b)
    while i and j:
        if a[i - 1] == b[j - 1]:
            out.append(a[i - 1])
            i, j = i - 1, j - 1
        elif L[i - 1][j] >= L[i][j - 1]:
            i -= 1
        else:
            j -= 1
    return "".join(out)


@pitfall(replaces="lcs", why="on a mismatch always steps up, never towards the larger neighbour")
def always_up(a: str, b: str) -> str:
    out, i, j = [], len(a), len(b)
    while i and j:
        if a[i - 1] == b[j - 1]:
            out.append(a[i - 1])
            i, j = i - 1, j - 1
        else:
            i -= 1
    return "".join(reversed(out))
