"""Plausible wrong similarity scorers and duplicate finders that the tests must reject."""
from __future__ import annotations

import difflib
from typing import TYPE_CHECKING

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from similarity import normalize, similarity


def _lcs(a: str, b: str) -> int:
    prev = [0] * (len(b) + 1)
    for i in range(1, len(a) + 1):
        cur = [0] * (len(b) + 1)
        for j in range(1, len(b) + 1):
            cur[j] = prev[j - 1] + 1 if a[i - 1] == b[j - 1] else max(prev[j], cur[j - 1])
        prev = cur
    return prev[-1]


@pitfall(replaces="similarity", why="divides the LCS by the longer length instead of 2·LCS by the total length")
def lcs_over_max(a: str, b: str) -> float:
    return 1.0 if not a and not b else _lcs(a, b) / max(len(a), len(b))


@pitfall(replaces="similarity", why="difflib.SequenceMatcher.ratio: the same 2·M/T form with a greedy, not longest, M")
def sequence_matcher(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


@pitfall(replaces="similarity", why="two empty strings score 0 (no characters in common) instead of 1 (identical)")
def empty_is_zero(a: str, b: str) -> float:
    return 0.0 if not a and not b else 2 * _lcs(a, b) / (len(a) + len(b))


@pitfall(replaces="normalize", why="only collapses whitespace: case and punctuation still count")
def whitespace_only(text: str) -> str:
    return " ".join(text.split())


@pitfall(replaces="normalize", why="deletes punctuation instead of turning it into a space: 'a-b' becomes 'ab'")
def delete_punctuation(text: str) -> str:
    return " ".join("".join(c for c in text.lower() if c.isalnum() or c.isspace()).split())


@pitfall(replaces="find_duplicates", why="keeps pairs strictly above the threshold: a pair exactly on it is lost")
def strict_threshold(texts: list[str], threshold: float = 0.9) -> list[tuple[int, int]]:
    if not 0.0 <= threshold <= 1.0:
        raise ValueError("threshold")
    norm = [normalize(t) for t in texts]
    return [(i, j) for i in range(len(norm)) for j in range(i + 1, len(norm)) if similarity(norm[i], norm[j]) > threshold]


@pitfall(replaces="find_duplicates", why="scores the raw texts: the normalisation is never applied")
def unnormalised(texts: list[str], threshold: float = 0.9) -> list[tuple[int, int]]:
    if not 0.0 <= threshold <= 1.0:
        raise ValueError("threshold")
    return [(i, j) for i in range(len(texts)) for j in range(i + 1, len(texts)) if similarity(texts[i], texts[j]) >= threshold]
