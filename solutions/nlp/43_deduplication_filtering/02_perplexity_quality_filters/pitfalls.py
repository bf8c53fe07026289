"""Plausible wrong perplexity and quality filters that the tests must reject."""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

import torch
import torch.nn.functional as F
from torch import nn

from grader import lm
from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from quality_filters import quality_failures, text_perplexity


@pitfall(replaces="text_perplexity", why="no shift: scores each input character with the logits at its own position, "
         "not the next character")
def no_shift(model: nn.Module, text: str, context: int = lm.CONTEXT) -> float:
    ids = lm.encode(text)
    if len(ids) < 2:
        raise ValueError("short")
    total = 0.0
    with torch.no_grad():
        for start in range(1, len(ids), context):
            x = ids[start:start + context]
            total += F.cross_entropy(model(x[None])[0].double(), x, reduction="sum").item()
    return math.exp(total / (len(ids) - 1))


@pitfall(replaces="text_perplexity", why="feeds the whole text in one pass: predictions past the trained context of 64 characters")
def one_pass(model: nn.Module, text: str, context: int = lm.CONTEXT) -> float:
    ids = lm.encode(text)
    if len(ids) < 2:
        raise ValueError("short")
    with torch.no_grad():
        logits = model(ids[None, :-1])[0].double()
    return math.exp(F.cross_entropy(logits, ids[1:]).item())


@pitfall(replaces="text_perplexity", why="2 ** loss: perplexity in bits of a loss measured in nats")
def base_two(model: nn.Module, text: str, context: int = lm.CONTEXT) -> float:
    ids = lm.encode(text)
    if len(ids) < 2:
        raise ValueError("short")
    total = 0.0
    with torch.no_grad():
        for start in range(0, len(ids) - 1, context):
            y = ids[start + 1:start + context + 1]
            total += F.cross_entropy(model(ids[start:start + len(y)][None])[0].double(), y, reduction="sum").item()
    return 2.0 ** (total / (len(ids) - 1))


@pitfall(replaces="text_perplexity", why="averages the per-chunk mean losses: a short last chunk weighs as much as a full one")
def mean_of_chunk_means(model: nn.Module, text: str, context: int = lm.CONTEXT) -> float:
    ids = lm.encode(text)
    if len(ids) < 2:
        raise ValueError("short")
    means = []
    with torch.no_grad():
        for start in range(0, len(ids) - 1, context):
            y = ids[start + 1:start + context + 1]
            means.append(F.cross_entropy(model(ids[start:start + len(y)][None])[0].double(), y).item())
    return math.exp(sum(means) / len(means))


@pitfall(replaces="perplexity_filter", why="keeps texts strictly below the threshold: one exactly on it is dropped")
def strict_filter(model: nn.Module, texts: list[str], max_perplexity: float, context: int = lm.CONTEXT) -> list[bool]:
    return [text_perplexity(model, t, context) < max_perplexity for t in texts]


@pitfall(replaces="quality_failures", why="duplicate-line fraction as 1 - distinct/len: 0.30000000000000004 breaks a bound of 0.3")
def one_minus_distinct(text: str, *, min_words: int = 50, max_words: int = 100_000, min_mean_word_len: float = 3.0,
                       max_mean_word_len: float = 10.0, max_symbol_ratio: float = 0.1,
                       min_alpha_word_frac: float = 0.8, max_duplicate_line_frac: float = 0.3) -> list[str]:
    out = [f for f in _solution_failures(text, min_words, max_words, min_mean_word_len, max_mean_word_len,
                                         max_symbol_ratio, min_alpha_word_frac, 1.0)]
    lines = [x.strip() for x in text.splitlines() if x.strip()]
    if lines and 1 - len(set(lines)) / len(lines) > max_duplicate_line_frac:
        out.append("duplicate_lines")
    return out


@pitfall(replaces="quality_failures", why="counts a word as alphabetic only if str.isalpha() holds for all of it: 'Ay,' is not")
def isalpha_words(text: str, *, min_words: int = 50, max_words: int = 100_000, min_mean_word_len: float = 3.0,
                  max_mean_word_len: float = 10.0, max_symbol_ratio: float = 0.1,
                  min_alpha_word_frac: float = 0.8, max_duplicate_line_frac: float = 0.3) -> list[str]:
    out = _solution_failures(text, min_words, max_words, min_mean_word_len, max_mean_word_len, max_symbol_ratio,
                             0.0, max_duplicate_line_frac)
    words = text.split()
    if words and sum(w.isalpha() for w in words) / len(words) < min_alpha_word_frac:
        out.insert(len([f for f in out if f != "duplicate_lines"]), "alpha_words")
    return out


@pitfall(replaces="quality_failures", why="counts every copy of a repeated line, the first one too")
def counts_first_copy(text: str, *, min_words: int = 50, max_words: int = 100_000, min_mean_word_len: float = 3.0,
                      max_mean_word_len: float = 10.0, max_symbol_ratio: float = 0.1,
                      min_alpha_word_frac: float = 0.8, max_duplicate_line_frac: float = 0.3) -> list[str]:
    out = _solution_failures(text, min_words, max_words, min_mean_word_len, max_mean_word_len, max_symbol_ratio,
                             min_alpha_word_frac, 1.0)
    lines = [x.strip() for x in text.splitlines() if x.strip()]
    repeated = sum(lines.count(x) > 1 for x in lines)
    if lines and repeated / len(lines) > max_duplicate_line_frac:
        out.append("duplicate_lines")
    return out


def _solution_failures(text: str, *bounds: float) -> list[str]:
    keys = ["min_words", "max_words", "min_mean_word_len", "max_mean_word_len", "max_symbol_ratio",
            "min_alpha_word_frac", "max_duplicate_line_frac"]
    return _QF(text, **dict(zip(keys, bounds, strict=True)))


_QF = quality_failures  # the solution's, captured before a pitfall replaces it
