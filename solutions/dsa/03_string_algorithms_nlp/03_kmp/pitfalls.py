"""Plausible wrong KMP code that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from kmp import prefix_function


@pitfall(replaces="prefix_function", why="counts the whole string as its own border: pi[q] = q + 1 for 'aaaa'-like runs")
def improper_border(pattern: str) -> list[int]:
    return [max(k for k in range(q + 2) if k <= q + 1 and pattern[:k] == pattern[q + 1 - k:q + 1]) for q in range(len(pattern))]


@pitfall(replaces="prefix_function", why="on a mismatch falls back to 0 at once instead of through pi[k - 1]")
def reset_to_zero(pattern: str) -> list[int]:
    pi, k = [0] * len(pattern), 0
    for q in range(1, len(pattern)):
        if pattern[q] != pattern[k]:
            k = 0
        if pattern[q] == pattern[k]:
            k += 1
        pi[q] = k
    return pi


@pitfall(replaces="kmp_search", why="after a full match restarts from j = 0: overlapping occurrences are lost")
def no_overlaps(text: str, pattern: str) -> list[int]:
    if not pattern:
        raise ValueError("empty")
    pi, m, hits, j = prefix_function(pattern), len(pattern), [], 0
    for i, ch in enumerate(text):
        while j > 0 and ch != pattern[j]:
            j = pi[j - 1]
        if ch == pattern[j]:
            j += 1
        if j == m:
            hits.append(i - m + 1)
            j = 0
    return hits


@pitfall(replaces="kmp_search", why="records the END index of each match instead of its start")
def end_indices(text: str, pattern: str) -> list[int]:
    if not pattern:
        raise ValueError("empty")
    pi, m, hits, j = prefix_function(pattern), len(pattern), [], 0
    for i, ch in enumerate(text):
        while j > 0 and ch != pattern[j]:
            j = pi[j - 1]
        if ch == pattern[j]:
            j += 1
        if j == m:
            hits.append(i)
            j = pi[m - 1]
    return hits


@pitfall(replaces="kmp_search", why="falls back only once (if, not while) on a mismatch")
def single_fallback(text: str, pattern: str) -> list[int]:
    if not pattern:
        raise ValueError("empty")
    pi, m, hits, j = prefix_function(pattern), len(pattern), [], 0
    for i, ch in enumerate(text):
        if j > 0 and ch != pattern[j]:
            j = pi[j - 1]
        if ch == pattern[j]:
            j += 1
        if j == m:
            hits.append(i - m + 1)
            j = pi[m - 1]
    return hits
