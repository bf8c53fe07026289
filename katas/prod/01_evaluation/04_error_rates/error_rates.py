"""prod-01-4: character and word error rates. Edit this file; `grader check prod-01-4` tests it."""
from __future__ import annotations

from collections.abc import Sequence


def edit_table(ref: Sequence, hyp: Sequence) -> list[list[int]]:
    """The Levenshtein table: D[i][j] = edit distance between ref[:i] and hyp[:j] (unit costs).

    Shapes:
        ref, hyp: sequences (possibly empty); returns: (len(ref) + 1) lists of (len(hyp) + 1) ints
    """
    raise NotImplementedError("edit_table: fill the prefix-distance table row by row")


def levenshtein(ref: Sequence, hyp: Sequence) -> int:
    """The minimum number of substitutions, deletions and insertions (each costing 1) that turn
    ref into hyp. Works on any sequences: strings (characters) or lists of words.

    Shapes:
        ref, hyp: sequences of hashable items (possibly empty); returns: an int
    """
    raise NotImplementedError("levenshtein: the edit-distance dynamic programme")


def error_counts(ref: Sequence, hyp: Sequence) -> tuple[int, int, int]:
    """(substitutions, deletions, insertions) of one minimum-cost alignment of hyp to ref.

    The three add up to levenshtein(ref, hyp), and deletions - insertions = len(ref) - len(hyp).
    A deletion is a ref item missing from hyp; an insertion is an extra hyp item.

    Shapes:
        ref, hyp: sequences (possibly empty); returns: three non-negative ints
    """
    raise NotImplementedError("error_counts: backtrack through the edit-distance table")


def wer(references: list[str], hypotheses: list[str]) -> float:
    """Corpus word error rate: total word-level edit distance / total number of reference words.

    Words are the whitespace-separated pieces of each sentence (str.split()). WER can exceed 1.

    Shapes:
        references, hypotheses: N sentences each; returns: a float >= 0

    Raises:
        ValueError: if the lists differ in length or the references contain no word at all.
    """
    raise NotImplementedError("wer: pool word edit distances over the corpus")


def cer(references: list[str], hypotheses: list[str]) -> float:
    """Corpus character error rate: total character edit distance / total reference characters.

    Each sentence is stripped of leading and trailing whitespace first; inner spaces are characters.

    Shapes:
        references, hypotheses: N sentences each; returns: a float >= 0

    Raises:
        ValueError: if the lists differ in length or the stripped references contain no character.
    """
    raise NotImplementedError("cer: pool character edit distances over the corpus")
