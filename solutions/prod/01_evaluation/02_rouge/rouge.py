"""Reference solution for prod-01-2."""
from __future__ import annotations

from collections import Counter


def ngram_counts(tokens: list[str], n: int) -> Counter[tuple[str, ...]]:
    """How often each n-gram (a tuple of n consecutive tokens) occurs in `tokens`."""
    return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def f_score(precision: float, recall: float, beta: float = 1.0) -> float:
    if beta <= 0:
        raise ValueError(f"beta must be positive, got {beta}")
    if precision == 0 or recall == 0:
        return 0.0
    b2 = beta * beta
    return (1 + b2) * precision * recall / (recall + b2 * precision)


def rouge_n(candidate: list[str], reference: list[str], n: int = 1,
            beta: float = 1.0) -> tuple[float, float, float]:
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    cand, ref = ngram_counts(candidate, n), ngram_counts(reference, n)
    overlap = sum(min(c, ref[g]) for g, c in cand.items())
    precision = overlap / max(sum(cand.values()), 1)
    recall = overlap / max(sum(ref.values()), 1)
    return precision, recall, f_score(precision, recall, beta)


def lcs_length(a: list[str], b: list[str]) -> int:
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0] * (len(b) + 1)
        for j, y in enumerate(b, start=1):
            cur[j] = prev[j - 1] + 1 if x == y else max(prev[j], cur[j - 1])
        prev = cur
    return prev[-1]


def rouge_l(candidate: list[str], reference: list[str], beta: float = 1.0) -> tuple[float, float, float]:
    if beta <= 0:
        raise ValueError(f"beta must be positive, got {beta}")
    if not candidate or not reference:
        return 0.0, 0.0, 0.0
    lcs = lcs_length(candidate, reference)
    precision, recall = lcs / len(candidate), lcs / len(reference)
    return precision, recall, f_score(precision, recall, beta)
