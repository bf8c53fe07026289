"""nlp-01-3: Unigram language-model tokenization. Edit this file; `grader check nlp-01-3` tests it."""
from __future__ import annotations

from collections.abc import Mapping


def viterbi(text: str, log_probs: Mapping[str, float]) -> list[str]:
    """The most probable segmentation of `text` into pieces of `log_probs`.

    A segmentation is a list of pieces whose concatenation is `text`; its score is the sum of the
    pieces' log-probabilities. Return the one with the highest score (any of them on an exact
    tie); the empty text gives [].

    Raises:
        ValueError: if no segmentation exists (some part of the text is covered by no piece).
    """
    raise NotImplementedError("viterbi: best[end] = max over pieces text[start:end] of best[start] + log p")


def log_marginal(text: str, log_probs: Mapping[str, float]) -> float:
    """log P(text) = log of the sum, over ALL segmentations, of exp(score); 0.0 for the empty text,
    -inf when no segmentation exists. Must not underflow when every score is around -1000."""
    raise NotImplementedError("log_marginal: the forward algorithm, with logsumexp instead of max")


def expected_counts(text: str, log_probs: Mapping[str, float]) -> dict[str, float]:
    """Expected number of times each piece is used, under the posterior over segmentations.

    P(segmentation | text) = exp(score(segmentation) - log_marginal(text)); the expected count of a
    piece is the sum over segmentations of that probability times the number of times the
    segmentation uses the piece. Pieces that no segmentation uses may be left out (count 0).

    Raises:
        ValueError: if no segmentation exists.
    """
    raise NotImplementedError("expected_counts: forward-backward, exp(alpha[start] + log p + beta[end] - log Z)")


def em_step(word_counts: Mapping[str, int], log_probs: Mapping[str, float]) -> dict[str, float]:
    """One EM step of Unigram training on a corpus given as word -> count.

    E-step: total expected count c(p) of each piece over the corpus, each word's expected counts
    multiplied by the word's count. M-step: the new log-probability log(c(p) / sum_q c(q)) for every
    piece with c(p) > 0; pieces with c(p) == 0 are left out.
    """
    raise NotImplementedError("em_step: sum expected counts weighted by word counts, then normalise and log")
