"""Plausible wrong suffix and LCP arrays that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from suffix_array import lcp_array, suffix_array


@pitfall(replaces="suffix_array", why="an ended suffix gets rank 0, like the smallest character, instead of -1")
def ended_suffix_as_zero(s: str) -> np.ndarray:
    n, rank, sa, k = len(s), [ord(c) - ord("a") for c in s], list(range(len(s))), 1
    while n:
        def key(i: int, k: int = k, rank: list = rank) -> tuple[int, int]:
            return rank[i], rank[i + k] if i + k < n else 0
        sa.sort(key=key)
        new = [0] * n
        for j in range(1, n):
            new[sa[j]] = new[sa[j - 1]] + (key(sa[j]) != key(sa[j - 1]))
        rank = new
        if rank[sa[-1]] == n - 1 or k > n:
            break
        k *= 2
    return np.array(sa, dtype=np.int64)


@pitfall(replaces="suffix_array", why="a single doubling round: suffixes are ordered by their first two characters only")
def one_round(s: str) -> np.ndarray:
    n = len(s)
    return np.array(sorted(range(n), key=lambda i: s[i:i + 2]), dtype=np.int64)


@pitfall(replaces="suffix_array", why="re-ranks by position in the sorted list: equal prefixes get different ranks")
def ranks_not_merged(s: str) -> np.ndarray:
    n, rank, sa, k = len(s), [ord(c) for c in s], list(range(len(s))), 1
    while n and k < n:
        def key(i: int, k: int = k, rank: list = rank) -> tuple[int, int]:
            return rank[i], rank[i + k] if i + k < n else -1
        sa.sort(key=key)
        new = [0] * n
        for j in range(n):
            new[sa[j]] = j
        rank = new
        k *= 2
    return np.array(sa, dtype=np.int64)


@pitfall(replaces="lcp_array", why="lcp[r] compares sa[r] with the NEXT suffix sa[r+1]: shifted by one")
def shifted(s: str, sa: np.ndarray) -> np.ndarray:
    n, out = len(s), np.zeros(len(s), dtype=np.int64)
    for r in range(n - 1):
        a, b = s[sa[r]:], s[sa[r + 1]:]
        h = 0
        while h < min(len(a), len(b)) and a[h] == b[h]:
            h += 1
        out[r] = h
    return out


@pitfall(replaces="lcp_array", why="Kasai without h -= 1: carries the full h to the next suffix")
def no_decrement(s: str, sa: np.ndarray) -> np.ndarray:
    n, rank, lcp, h = len(s), [0] * len(s), np.zeros(len(s), dtype=np.int64), 0
    for r, i in enumerate(sa):
        rank[int(i)] = r
    for i in range(n):
        if rank[i] == 0:
            h = 0
            continue
        j = int(sa[rank[i] - 1])
        while i + h < n and j + h < n and s[i + h] == s[j + h]:
            h += 1
        lcp[rank[i]] = h
    return lcp


@pitfall(replaces="longest_repeated_substring", why="takes the last maximum of lcp: the lexicographically largest repeat")
def last_maximum(s: str) -> str:
    sa = suffix_array(s)
    lcp = lcp_array(s, sa)
    if not len(s) or lcp.max() == 0:
        return ""
    r = len(lcp) - 1 - int(np.argmax(lcp[::-1]))
    return s[sa[r]:sa[r] + lcp[r]]
