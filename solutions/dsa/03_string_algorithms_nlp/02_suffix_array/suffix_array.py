"""Reference solution for dsa-03-2."""
from __future__ import annotations

import numpy as np


def suffix_array(s: str) -> np.ndarray:
    n = len(s)
    rank = [ord(c) for c in s]
    sa = list(range(n))
    k = 1
    while n:
        def key(i: int, k: int = k, rank: list = rank) -> tuple[int, int]:
            return rank[i], rank[i + k] if i + k < n else -1
        sa.sort(key=key)
        new = [0] * n
        for j in range(1, n):
            new[sa[j]] = new[sa[j - 1]] + (key(sa[j]) != key(sa[j - 1]))
        rank = new
        if rank[sa[-1]] == n - 1:
            break
        k *= 2
    return np.array(sa, dtype=np.int64)


def lcp_array(s: str, sa: np.ndarray) -> np.ndarray:
    n = len(s)
    rank = [0] * n
    for r, i in enumerate(sa):
        rank[int(i)] = r
    lcp = np.zeros(n, dtype=np.int64)
    h = 0
    for i in range(n):
        if rank[i] == 0:
            h = 0
            continue
        j = int(sa[rank[i] - 1])
        while i + h < n and j + h < n and s[i + h] == s[j + h]:
            h += 1
        lcp[rank[i]] = h
        if h:
            h -= 1
    return lcp


def longest_repeated_substring(s: str) -> str:
    sa = suffix_array(s)
    lcp = lcp_array(s, sa)
    if not len(s) or lcp.max() == 0:
        return ""
    r = int(np.argmax(lcp))
    return s[sa[r]:sa[r] + lcp[r]]
