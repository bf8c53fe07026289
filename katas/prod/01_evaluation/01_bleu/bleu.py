"""prod-01-1: corpus BLEU with brevity penalty and smoothing. Edit this file; `grader check prod-01-1` tests it."""
from __future__ import annotations

from collections import Counter

SMOOTH_DEFAULTS = {"none": None, "floor": 0.1, "add-k": 1.0, "exp": None}


def ngram_counts(tokens: list[str], n: int) -> Counter[tuple[str, ...]]:
    """How often each n-gram (a tuple of n consecutive tokens) occurs in `tokens`."""
    return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def clipped_matches(hypothesis: list[str], references: list[list[str]], n: int) -> tuple[int, int]:
    """Clipped n-gram matches of one hypothesis against its references.

    total = the number of n-grams in the hypothesis (len(hypothesis) - n + 1, or 0 when it is shorter).
    matches = the sum over distinct hypothesis n-grams g of min(count of g in the hypothesis,
    the largest count of g in any single reference).

    Shapes:
        hypothesis: a list of tokens; references: a non-empty list of token lists
        returns: (matches, total), two ints with 0 <= matches <= total

    Raises:
        ValueError: if n < 1 or references is empty.
    """
    raise NotImplementedError("clipped_matches: count hypothesis n-grams, clipped by the best reference")


def closest_reference_length(hyp_len: int, ref_lens: list[int]) -> int:
    """The reference length closest to hyp_len; on a tie, the shorter one.

    Shapes:
        ref_lens: a non-empty list of ints; returns: one of them

    Raises:
        ValueError: if ref_lens is empty.
    """
    raise NotImplementedError("closest_reference_length: the closest length, ties to the shorter")


def brevity_penalty(hyp_len: int, ref_len: int) -> float:
    """BP = 1 if hyp_len >= ref_len, 0 if hyp_len == 0 < ref_len, else exp(1 - ref_len / hyp_len).

    Shapes:
        hyp_len, ref_len: non-negative ints; returns: a float in [0, 1]
    """
    raise NotImplementedError("brevity_penalty: penalise hypotheses shorter than the reference")


def corpus_bleu(hypotheses: list[list[str]], references: list[list[list[str]]], max_order: int = 4,
                smooth: str = "none", smooth_value: float | None = None) -> float:
    """Corpus BLEU on a 0-100 scale, as sacrebleu computes it on pre-tokenized text.

    Matches and totals for each order n = 1..max_order, the hypothesis length c and the closest
    reference length r are summed over the corpus first; then
        BLEU = 100 * BP(c, r) * exp(mean over n of log p_n),   p_n = matches_n / total_n.
    Smoothing of the precisions (Chen & Cherry 2014), k = smooth_value or SMOOTH_DEFAULTS[smooth]:
        "none":  no change;
        "floor": p_n = k / total_n for an order with no match;
        "add-k": for n >= 2, add k to both matches_n and total_n;
        "exp":   the i-th order with no match gets p_n = 1 / (2**i * total_n), i = 1, 2, ...
    BLEU is 0 when no n-gram of any order matches, and when some p_n is 0 (or total_n is 0)
    after smoothing.

    Shapes:
        hypotheses: N token lists; references: N non-empty lists of token lists
        returns: a float in [0, 100]

    Raises:
        ValueError: if the two lists differ in length, a hypothesis has no reference,
            max_order < 1, smooth is not a key of SMOOTH_DEFAULTS, or smooth_value <= 0.
    """
    raise NotImplementedError("corpus_bleu: sum statistics over the corpus, then combine")
