"""Reference solution for nlp-43-2."""
from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import nn

from grader import lm


def text_perplexity(model: nn.Module, text: str, context: int = lm.CONTEXT) -> float:
    ids = lm.encode(text)
    n = len(ids)
    if n < 2:
        raise ValueError(f"need at least 2 characters to score, got {n}")
    total = 0.0
    with torch.no_grad():
        for start in range(0, n - 1, context):
            x = ids[start:start + context]
            y = ids[start + 1:start + context + 1]
            x = x[:len(y)]
            logits = model(x[None])[0]
            total += F.cross_entropy(logits.double(), y, reduction="sum").item()
    return math.exp(total / (n - 1))


def perplexity_filter(model: nn.Module, texts: list[str], max_perplexity: float,
                      context: int = lm.CONTEXT) -> list[bool]:
    return [text_perplexity(model, t, context) <= max_perplexity for t in texts]


def quality_failures(text: str, *, min_words: int = 50, max_words: int = 100_000, min_mean_word_len: float = 3.0,
                     max_mean_word_len: float = 10.0, max_symbol_ratio: float = 0.1,
                     min_alpha_word_frac: float = 0.8, max_duplicate_line_frac: float = 0.3) -> list[str]:
    words = text.split()
    failures = []
    if len(words) < min_words:
        failures.append("too_few_words")
    if len(words) > max_words:
        failures.append("too_many_words")
    if words:
        mean_len = sum(len(w) for w in words) / len(words)
        if not min_mean_word_len <= mean_len <= max_mean_word_len:
            failures.append("mean_word_length")
        symbols = text.count("#") + text.count("...") + text.count("…")
        if symbols / len(words) > max_symbol_ratio:
            failures.append("symbol_ratio")
        alpha = sum(any(c.isalpha() for c in w) for w in words) / len(words)
        if alpha < min_alpha_word_frac:
            failures.append("alpha_words")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if lines and (len(lines) - len(set(lines))) / len(lines) > max_duplicate_line_frac:
        failures.append("duplicate_lines")
    return failures
