"""Reference solution for prod-01-4."""
from __future__ import annotations

from collections.abc import Sequence


def edit_table(ref: Sequence, hyp: Sequence) -> list[list[int]]:
    """D[i][j] = Levenshtein distance between ref[:i] and hyp[:j] (unit costs)."""
    d = [[0] * (len(hyp) + 1) for _ in range(len(ref) + 1)]
    for i in range(len(ref) + 1):
        d[i][0] = i
    for j in range(len(hyp) + 1):
        d[0][j] = j
    for i in range(1, len(ref) + 1):
        for j in range(1, len(hyp) + 1):
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (ref[i - 1] != hyp[j - 1]))
    return d


def levenshtein(ref: Sequence, hyp: Sequence) -> int:
    return edit_table(ref, hyp)[len(ref)][len(hyp)]


def error_counts(ref: Sequence, hyp: Sequence) -> tuple[int, int, int]:
    d = edit_table(ref, hyp)
    i, j = len(ref), len(hyp)
    subs = dels = ins = 0
    while i > 0 or j > 0:
        if i > 0 and j > 0 and d[i][j] == d[i - 1][j - 1] + (ref[i - 1] != hyp[j - 1]):
            subs += ref[i - 1] != hyp[j - 1]
            i, j = i - 1, j - 1
        elif i > 0 and d[i][j] == d[i - 1][j] + 1:
            dels += 1
            i -= 1
        else:
            ins += 1
            j -= 1
    return subs, dels, ins


def _rate(refs: list[Sequence], hyps: list[Sequence]) -> float:
    if len(refs) != len(hyps):
        raise ValueError(f"{len(refs)} references but {len(hyps)} hypotheses")
    n = sum(len(r) for r in refs)
    if n == 0:
        raise ValueError("the references are empty: the error rate is undefined")
    return sum(levenshtein(r, h) for r, h in zip(refs, hyps, strict=True)) / n


def wer(references: list[str], hypotheses: list[str]) -> float:
    return _rate([r.split() for r in references], [h.split() for h in hypotheses])


def cer(references: list[str], hypotheses: list[str]) -> float:
    return _rate([r.strip() for r in references], [h.strip() for h in hypotheses])
