"""nlp-44-2: paraphrases ranked by a language model, and the augmented dataset they make. Edit this file; `grader check nlp-44-2` tests it."""
from __future__ import annotations

import torch  # noqa: F401  (for fluency)
import torch.nn.functional as F  # noqa: F401  (F.log_softmax, for fluency)

from grader import lm


def fluency(model: lm.CharGPT, text: str) -> float:
    """Mean log-probability per character the model assigns to `text`: (1/(n-1)) sum_t log p(text[t] | text[:t]), t >= 1.

    One forward pass over the ids of text[:-1]; natural log. Higher is more fluent. The model is not
    changed.

    Raises:
        ValueError: if len(text) < 2 or len(text) > lm.CONTEXT + 1.
    """
    raise NotImplementedError("fluency: mean log-softmax of each next character, one forward pass")


def single_substitutions(text: str, substitutes: dict[str, list[str]]) -> list[str]:
    """Every text that differs from `text` in exactly one word, replaced by one of its substitutes.

    Words are `text.split(" ")` (so the spaces are kept as they are). For each position i in order,
    for each substitute s of words[i] in list order, with s != words[i]: the text with words[i]
    replaced by s. A text that appears twice (the same word at two positions, a repeated
    substitute) is kept once, at its first occurrence; the original text never appears.

    Shapes:
        returns: list of strings, in the order above
    """
    raise NotImplementedError("single_substitutions: one word replaced, position by position, no duplicates")


def paraphrases(model: lm.CharGPT, text: str, substitutes: dict[str, list[str]], n: int) -> list[str]:
    """The n most fluent single-word substitutions of `text`: the model's choice of paraphrases.

    Candidates are `single_substitutions(text, substitutes)`; they are ranked by `fluency`, highest
    first, ties kept in candidate order (a stable sort). Fewer than n are returned when there are
    fewer candidates; n = 0 returns [].

    Raises:
        ValueError: if n < 0.
    """
    raise NotImplementedError("paraphrases: rank the candidates by fluency, keep the top n")


def augment_dataset(model: lm.CharGPT, examples: list[tuple[str, int]], substitutes: dict[str, list[str]],
                    n: int) -> list[tuple[str, int]]:
    """Each original (text, label), followed by its `paraphrases(model, text, substitutes, n)` with the same label.

    Raises:
        ValueError: if n < 0.
    """
    raise NotImplementedError("augment_dataset: each original, then its paraphrases with its label")
