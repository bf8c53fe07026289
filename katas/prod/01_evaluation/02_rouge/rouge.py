"""prod-01-2: ROUGE-N and ROUGE-L. Edit this file; `grader check prod-01-2` tests it."""
from __future__ import annotations

from collections import Counter


def ngram_counts(tokens: list[str], n: int) -> Counter[tuple[str, ...]]:
    """How often each n-gram (a tuple of n consecutive tokens) occurs in `tokens`."""
    return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def f_score(precision: float, recall: float, beta: float = 1.0) -> float:
    """Lin's F_beta = (1 + beta^2) P R / (R + beta^2 P); 0 when P or R is 0. beta > 1 favours recall.

    Shapes:
        precision, recall: floats in [0, 1]; returns: a float in [0, 1]

    Raises:
        ValueError: if beta <= 0.
    """
    raise NotImplementedError("f_score: the weighted harmonic mean of precision and recall")


def rouge_n(candidate: list[str], reference: list[str], n: int = 1,
            beta: float = 1.0) -> tuple[float, float, float]:
    """ROUGE-N of a candidate summary against one reference.

    overlap = sum over n-grams g of min(count in candidate, count in reference);
    precision = overlap / #candidate n-grams, recall = overlap / #reference n-grams
    (each 0 when the text has no n-gram), F = f_score(precision, recall, beta).

    Shapes:
        candidate, reference: token lists (possibly empty)
        returns: (precision, recall, f), floats in [0, 1]

    Raises:
        ValueError: if n < 1 or beta <= 0.
    """
    raise NotImplementedError("rouge_n: clipped n-gram overlap, as precision, recall and F")


def lcs_length(a: list[str], b: list[str]) -> int:
    """Length of the longest common subsequence of a and b (not necessarily contiguous).

    Shapes:
        a, b: token lists (possibly empty); returns: an int in [0, min(len(a), len(b))]
    """
    raise NotImplementedError("lcs_length: dynamic programming over prefixes")


def rouge_l(candidate: list[str], reference: list[str], beta: float = 1.0) -> tuple[float, float, float]:
    """Sentence-level ROUGE-L: precision = LCS / len(candidate), recall = LCS / len(reference),
    F = f_score(precision, recall, beta); all three are 0 when either text is empty.

    Shapes:
        candidate, reference: token lists; returns: (precision, recall, f), floats in [0, 1]

    Raises:
        ValueError: if beta <= 0.
    """
    raise NotImplementedError("rouge_l: LCS-based precision, recall and F")
