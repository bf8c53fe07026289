"""Reference solution for dsa-03-3."""
from __future__ import annotations


def prefix_function(pattern: str) -> list[int]:
    pi = [0] * len(pattern)
    k = 0
    for q in range(1, len(pattern)):
        while k > 0 and pattern[q] != pattern[k]:
            k = pi[k - 1]
        if pattern[q] == pattern[k]:
            k += 1
        pi[q] = k
    return pi


def kmp_search(text: str, pattern: str) -> list[int]:
    if not pattern:
        raise ValueError("the pattern must not be empty")
    pi, m = prefix_function(pattern), len(pattern)
    hits, j = [], 0
    for i, ch in enumerate(text):
        while j > 0 and ch != pattern[j]:
            j = pi[j - 1]
        if ch == pattern[j]:
            j += 1
        if j == m:
            hits.append(i - m + 1)
            j = pi[m - 1]
    return hits
