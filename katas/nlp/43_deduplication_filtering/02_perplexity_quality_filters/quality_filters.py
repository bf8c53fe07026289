"""nlp-43-2: perplexity filtering and heuristic quality filters. Edit this file; `grader check nlp-43-2` tests it."""
from __future__ import annotations

from torch import nn

from grader import lm


def text_perplexity(model: nn.Module, text: str, context: int = lm.CONTEXT) -> float:
    """exp of the mean next-character negative log-likelihood (nats) of `text` under `model`.

    ids = lm.encode(text) (n characters). Every character after the first is predicted, so there are
    n - 1 targets. The text is cut into consecutive chunks of at most `context` input characters:
    chunk c feeds ids[c*context : (c+1)*context] to the model and scores the targets
    ids[c*context + 1 : (c+1)*context + 1] (the last chunk may be shorter), so no prediction ever
    sees more than `context` characters. Accumulate the cross-entropy in float64.

    Raises:
        ValueError: if text has fewer than 2 characters.
    """
    raise NotImplementedError("text_perplexity: chunk, score every next character, exp(mean NLL)")


def perplexity_filter(model: nn.Module, texts: list[str], max_perplexity: float,
                      context: int = lm.CONTEXT) -> list[bool]:
    """Keep mask: True where text_perplexity(model, text, context) <= max_perplexity."""
    raise NotImplementedError("perplexity_filter")


def quality_failures(text: str, *, min_words: int = 50, max_words: int = 100_000, min_mean_word_len: float = 3.0,
                     max_mean_word_len: float = 10.0, max_symbol_ratio: float = 0.1,
                     min_alpha_word_frac: float = 0.8, max_duplicate_line_frac: float = 0.3) -> list[str]:
    """The Gopher heuristic rules `text` breaks, by name, in this order (empty list = keep the text).

    words = text.split(); lines = the stripped non-blank lines of text.splitlines().
    - "too_few_words":   len(words) < min_words
    - "too_many_words":  len(words) > max_words
    - "mean_word_length": mean len(word) outside [min_mean_word_len, max_mean_word_len]
    - "symbol_ratio":    (text.count("#") + text.count("...") + text.count("…")) / len(words) > max_symbol_ratio
    - "alpha_words":     fraction of words containing at least one alphabetic character < min_alpha_word_frac
    - "duplicate_lines": (len(lines) - number of distinct lines) / len(lines) > max_duplicate_line_frac
    A text with no words breaks only "too_few_words" (the word ratios are undefined); a text with no
    non-blank lines never breaks "duplicate_lines". Every bound is inclusive: a value exactly on it passes.
    """
    raise NotImplementedError("quality_failures: apply each rule, collect the names that fail")
