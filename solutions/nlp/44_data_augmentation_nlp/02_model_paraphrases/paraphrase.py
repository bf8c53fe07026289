"""nlp-44-2: paraphrases ranked by a language model, and the augmented dataset they make. Edit this file; `grader check nlp-44-2` tests it."""
from __future__ import annotations

import torch
import torch.nn.functional as F

from grader import lm


def fluency(model: lm.CharGPT, text: str) -> float:
    """Mean log-probability per character the model assigns to `text`: (1/(n-1)) sum_t log p(text[t] | text[:t]), t >= 1.

    One forward pass over the ids of text[:-1]; natural log. Higher is more fluent. The model is not
    changed.

    Raises:
        ValueError: if len(text) < 2 or len(text) > lm.CONTEXT + 1.
    """
    if not 2 <= len(text) <= lm.CONTEXT + 1:
        raise ValueError("text must have from 2 to lm.CONTEXT + 1 characters")
    ids = lm.encode(text)
    with torch.no_grad():
        logp = F.log_softmax(model(ids[None, :-1])[0].double(), dim=-1)
    return float(logp.gather(1, ids[1:, None]).mean())


def single_substitutions(text: str, substitutes: dict[str, list[str]]) -> list[str]:
    """Every text that differs from `text` in exactly one word, replaced by one of its substitutes.

    Words are `text.split(" ")` (so the spaces are kept as they are). For each position i in order,
    for each substitute s of words[i] in list order, with s != words[i]: the text with words[i]
    replaced by s. A text that appears twice (the same word at two positions, a repeated
    substitute) is kept once, at its first occurrence; the original text never appears.

    Shapes:
        returns: list of strings, in the order above
    """
    words = text.split(" ")
    out, seen = [], {text}
    for i, word in enumerate(words):
        for sub in substitutes.get(word, []):
            candidate = " ".join([*words[:i], sub, *words[i + 1:]])
            if sub != word and candidate not in seen:
                seen.add(candidate)
                out.append(candidate)
    return out


def paraphrases(model: lm.CharGPT, text: str, substitutes: dict[str, list[str]], n: int) -> list[str]:
    """The n most fluent single-word substitutions of `text`: the model's choice of paraphrases.

    Candidates are `single_substitutions(text, substitutes)`; they are ranked by `fluency`, highest
    first, ties kept in candidate order (a stable sort). Fewer than n are returned when there are
    fewer candidates; n = 0 returns [].

    Raises:
        ValueError: if n < 0.
    """
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    candidates = single_substitutions(text, substitutes)
    scores = [fluency(model, c) for c in candidates]
    order = sorted(range(len(candidates)), key=lambda i: -scores[i])
    return [candidates[i] for i in order[:n]]


def augment_dataset(model: lm.CharGPT, examples: list[tuple[str, int]], substitutes: dict[str, list[str]],
                    n: int) -> list[tuple[str, int]]:
    """Each original (text, label), followed by its `paraphrases(model, text, substitutes, n)` with the same label.

    Raises:
        ValueError: if n < 0.
    """
    if n < 0:
        raise ValueError(f"n must be >= 0, got {n}")
    out = []
    for text, label in examples:
        out.append((text, label))
        out.extend((p, label) for p in paraphrases(model, text, substitutes, n))
    return out
