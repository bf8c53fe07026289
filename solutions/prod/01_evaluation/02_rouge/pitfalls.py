"""Plausible wrong ROUGE implementations that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from rouge import f_score, lcs_length, ngram_counts


@pitfall(replaces="rouge_n", why="no clipping: a candidate n-gram repeated k times scores k matches if it occurs once in the reference")
def unclipped(candidate: list[str], reference: list[str], n: int = 1, beta: float = 1.0) -> tuple[float, float, float]:
    if n < 1:
        raise ValueError("n < 1")
    cand, ref = ngram_counts(candidate, n), ngram_counts(reference, n)
    overlap = sum(c for g, c in cand.items() if g in ref)
    p = overlap / max(sum(cand.values()), 1)
    r = min(overlap / max(sum(ref.values()), 1), 1.0)
    return p, r, f_score(p, r, beta)


@pitfall(replaces="rouge_n", why="counts distinct shared n-grams (set overlap) instead of clipped counts")
def set_overlap(candidate: list[str], reference: list[str], n: int = 1, beta: float = 1.0) -> tuple[float, float, float]:
    if n < 1:
        raise ValueError("n < 1")
    cand, ref = ngram_counts(candidate, n), ngram_counts(reference, n)
    overlap = len(set(cand) & set(ref))
    p, r = overlap / max(sum(cand.values()), 1), overlap / max(sum(ref.values()), 1)
    return p, r, f_score(p, r, beta)


@pitfall(replaces="rouge_n", why="precision and recall swapped: divides the overlap by the reference size for precision")
def swapped_precision_recall(candidate: list[str], reference: list[str], n: int = 1,
                             beta: float = 1.0) -> tuple[float, float, float]:
    if n < 1:
        raise ValueError("n < 1")
    cand, ref = ngram_counts(candidate, n), ngram_counts(reference, n)
    overlap = sum(min(c, ref[g]) for g, c in cand.items())
    r, p = overlap / max(sum(cand.values()), 1), overlap / max(sum(ref.values()), 1)
    return p, r, f_score(p, r, beta)


@pitfall(replaces="lcs_length", why="longest common substring (contiguous) instead of subsequence")
def common_substring(a: list[str], b: list[str]) -> int:
    best = 0
    prev = [0] * (len(b) + 1)
    for x in a:
        cur = [0] * (len(b) + 1)
        for j, y in enumerate(b, start=1):
            cur[j] = prev[j - 1] + 1 if x == y else 0
            best = max(best, cur[j])
        prev = cur
    return best


@pitfall(replaces="rouge_l", why="divides the LCS by the longer text for both precision and recall")
def max_length_denominator(candidate: list[str], reference: list[str], beta: float = 1.0) -> tuple[float, float, float]:
    if beta <= 0:
        raise ValueError("beta <= 0")
    if not candidate or not reference:
        return 0.0, 0.0, 0.0
    s = lcs_length(candidate, reference) / max(len(candidate), len(reference))
    return s, s, f_score(s, s, beta)


@pitfall(replaces="f_score", why="beta on the wrong side: (1 + b^2) P R / (P + b^2 R) favours precision when beta > 1")
def beta_on_precision_side(precision: float, recall: float, beta: float = 1.0) -> float:
    if beta <= 0:
        raise ValueError("beta <= 0")
    if precision == 0 or recall == 0:
        return 0.0
    return (1 + beta**2) * precision * recall / (precision + beta**2 * recall)


@pitfall(replaces="f_score", why="uses beta instead of beta squared in the weights")
def beta_not_squared(precision: float, recall: float, beta: float = 1.0) -> float:
    if beta <= 0:
        raise ValueError("beta <= 0")
    if precision == 0 or recall == 0:
        return 0.0
    return (1 + beta) * precision * recall / (recall + beta * precision)


@pitfall(replaces="rouge_l", why="returns zeros for an empty text before validating beta, so beta <= 0 slips through")
def unchecked_beta_on_empty(candidate: list[str], reference: list[str], beta: float = 1.0) -> tuple[float, float, float]:
    if not candidate or not reference:
        return 0.0, 0.0, 0.0
    lcs = lcs_length(candidate, reference)
    p, r = lcs / len(candidate), lcs / len(reference)
    return p, r, f_score(p, r, beta)
