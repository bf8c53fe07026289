"""arch-01-3: BART's noise functions. Edit this file; `grader check arch-01-3` tests it."""
from __future__ import annotations

import numpy as np  # noqa: F401  (np.random.default_rng)


def sample_infill_spans(n_tokens: int, mask_ratio: float, poisson_lambda: float,
                        seed: int) -> list[tuple[int, int]]:
    """Choose BART's text-infilling spans for a sequence of n_tokens tokens.

    budget = round(n_tokens * mask_ratio) (Python's round, half to even). Draw span lengths from
    rng.poisson(poisson_lambda) one at a time, each cut to the budget still left, until the lengths
    sum to the budget (zero-length spans are kept: each inserts a <mask>; with budget 0 there are
    no spans, and the last span is never empty). Then place the k spans uniformly among the
    n_tokens - budget unmasked tokens: choose k distinct slots of the n_tokens - budget + k items
    (spans and unmasked tokens) with rng.choice(..., replace=False), spans in the order drawn.
    All randomness from rng = np.random.default_rng(seed).

    Shapes:
        returns: list of (start, length), sorted, non-overlapping, lengths summing to the budget

    Raises:
        ValueError: if n_tokens < 1, mask_ratio is outside [0, 1] or poisson_lambda <= 0.
    """
    raise NotImplementedError("sample_infill_spans: Poisson lengths up to the budget, then uniform placement")


def text_infill(tokens: list[int], spans: list[tuple[int, int]], mask_id: int) -> list[int]:
    """Replace each span tokens[start:start + length] by ONE mask_id (a zero-length span inserts one).

    Shapes:
        tokens: list of n ints     spans: sorted (start, length) pairs     returns: list of ints

    Raises:
        ValueError: if a start or a length is negative, a span ends past the sequence, or spans overlap or are not sorted
            (each start must be >= the previous span's end).
    """
    raise NotImplementedError("text_infill: one mask per span")


def permute_sentences(tokens: list[int], eos_id: int, seed: int) -> list[int]:
    """Shuffle the sentences of a document (BART's sentence permutation).

    A sentence ends with (and includes) eos_id; tokens after the last eos_id form a final sentence.
    Order the sentences by np.random.default_rng(seed).permutation and concatenate them.

    Shapes:
        tokens: list of n ints     returns: list of n ints
    """
    raise NotImplementedError("permute_sentences: split after each EOS, permute, concatenate")
