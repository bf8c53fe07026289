"""Plausible wrong edit-distance / error-rate implementations that the tests must reject."""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from error_rates import _rate, edit_table, levenshtein


@pitfall(replaces="edit_table", why="leaves the first row and column at 0: an empty prefix looks free to align")
def zero_borders(ref: Sequence, hyp: Sequence) -> list[list[int]]:
    d = [[0] * (len(hyp) + 1) for _ in range(len(ref) + 1)]
    for i in range(1, len(ref) + 1):
        for j in range(1, len(hyp) + 1):
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (ref[i - 1] != hyp[j - 1]))
    return d


@pitfall(replaces="edit_table", why="a substitution costs 2 (delete + insert): the LCS distance, not Levenshtein")
def substitution_costs_two(ref: Sequence, hyp: Sequence) -> list[list[int]]:
    d = [[i + j if i == 0 or j == 0 else 0 for j in range(len(hyp) + 1)] for i in range(len(ref) + 1)]
    for i in range(1, len(ref) + 1):
        for j in range(1, len(hyp) + 1):
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + 2 * (ref[i - 1] != hyp[j - 1]))
    return d


@pitfall(replaces="edit_table", why="counts an adjacent transposition as one edit (Damerau), which WER/CER do not")
def damerau(ref: Sequence, hyp: Sequence) -> list[list[int]]:
    d = [[i + j if i == 0 or j == 0 else 0 for j in range(len(hyp) + 1)] for i in range(len(ref) + 1)]
    for i in range(1, len(ref) + 1):
        for j in range(1, len(hyp) + 1):
            d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (ref[i - 1] != hyp[j - 1]))
            if i > 1 and j > 1 and ref[i - 1] == hyp[j - 2] and ref[i - 2] == hyp[j - 1]:
                d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
    return d


@pitfall(replaces="error_counts", why="deletions and insertions swapped: a word missing from the hypothesis is counted as inserted")
def swapped_del_ins(ref: Sequence, hyp: Sequence) -> tuple[int, int, int]:
    d = edit_table(ref, hyp)
    i, j = len(ref), len(hyp)
    subs = dels = ins = 0
    while i > 0 or j > 0:
        if i > 0 and j > 0 and d[i][j] == d[i - 1][j - 1] + (ref[i - 1] != hyp[j - 1]):
            subs += ref[i - 1] != hyp[j - 1]
            i, j = i - 1, j - 1
        elif i > 0 and d[i][j] == d[i - 1][j] + 1:
            ins += 1
            i -= 1
        else:
            dels += 1
            j -= 1
    return subs, dels, ins


@pitfall(replaces="error_counts", why="counts every diagonal step as a substitution, matches included")
def matches_as_substitutions(ref: Sequence, hyp: Sequence) -> tuple[int, int, int]:
    d = edit_table(ref, hyp)
    i, j = len(ref), len(hyp)
    subs = dels = ins = 0
    while i > 0 or j > 0:
        if i > 0 and j > 0 and d[i][j] == d[i - 1][j - 1] + (ref[i - 1] != hyp[j - 1]):
            subs += 1
            i, j = i - 1, j - 1
        elif i > 0 and d[i][j] == d[i - 1][j] + 1:
            dels += 1
            i -= 1
        else:
            ins += 1
            j -= 1
    return subs, dels, ins


@pitfall(replaces="wer", why="averages per-sentence WER instead of pooling errors over the corpus")
def sentence_mean_wer(references: list[str], hypotheses: list[str]) -> float:
    _rate([r.split() for r in references], [h.split() for h in hypotheses])
    rates = [levenshtein(r.split(), h.split()) / len(r.split())
             for r, h in zip(references, hypotheses, strict=True) if r.split()]
    return sum(rates) / len(rates)


@pitfall(replaces="wer", why="divides by the number of hypothesis words")
def per_hypothesis_word(references: list[str], hypotheses: list[str]) -> float:
    _rate([r.split() for r in references], [h.split() for h in hypotheses])
    n = sum(len(h.split()) for h in hypotheses)
    errors = sum(levenshtein(r.split(), h.split()) for r, h in zip(references, hypotheses, strict=True))
    return errors / max(n, 1)


@pitfall(replaces="cer", why="does not strip the sentences: leading and trailing spaces count as characters")
def unstripped_cer(references: list[str], hypotheses: list[str]) -> float:
    _rate([r.strip() for r in references], [h.strip() for h in hypotheses])
    return _rate(list(references), list(hypotheses))


@pitfall(replaces="cer", why="removes every space, so a missing word boundary costs nothing")
def spaceless_cer(references: list[str], hypotheses: list[str]) -> float:
    _rate([r.strip() for r in references], [h.strip() for h in hypotheses])
    return _rate([r.replace(" ", "") for r in references], [h.replace(" ", "") for h in hypotheses])
