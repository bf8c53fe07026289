"""Plausible wrong BART noise functions that the tests must reject."""
from __future__ import annotations

import numpy as np

from grader.pitfalls import pitfall


def _spans(n_tokens: int, mask_ratio: float, poisson_lambda: float, rng: np.random.Generator, *,
           trim: bool = True, keep_zero: bool = True, fixed_length: bool = False,
           contiguous_slots: bool = False) -> list[tuple[int, int]]:
    if n_tokens < 1 or not 0.0 <= mask_ratio <= 1.0 or poisson_lambda <= 0:
        raise ValueError("bad arguments")
    budget = round(n_tokens * mask_ratio)
    lengths: list[int] = []
    total = 0
    while total < budget:
        length = round(poisson_lambda) if fixed_length else int(rng.poisson(poisson_lambda))
        if length == 0 and not keep_zero:
            continue
        if trim:
            length = min(length, budget - total)
        lengths.append(length)
        total += length
    k = len(lengths)
    items = n_tokens - total + k
    if contiguous_slots:
        first = int(rng.integers(0, max(items - k, 0) + 1))
        slots = np.arange(first, first + k)
    else:
        slots = np.sort(rng.choice(max(items, k), size=k, replace=False))
    spans, masked_before = [], 0
    for i, (slot, length) in enumerate(zip(slots, lengths, strict=True)):
        spans.append((int(slot) - i + masked_before, length))
        masked_before += length
    return spans


@pitfall(replaces="sample_infill_spans", why="does not cut the last span to the budget: masks too many tokens")
def last_span_not_trimmed(n_tokens: int, mask_ratio: float, poisson_lambda: float, seed: int) -> list[tuple[int, int]]:
    spans = _spans(n_tokens, mask_ratio, poisson_lambda, np.random.default_rng(seed), trim=False)
    return [(s, min(ln, n_tokens - s)) for s, ln in spans]


@pitfall(replaces="sample_infill_spans", why="redraws zero lengths: no <mask> insertions, lengths not Poisson")
def drops_zero_lengths(n_tokens: int, mask_ratio: float, poisson_lambda: float, seed: int) -> list[tuple[int, int]]:
    return _spans(n_tokens, mask_ratio, poisson_lambda, np.random.default_rng(seed), keep_zero=False)


@pitfall(replaces="sample_infill_spans", why="every span has the mean length round(lambda) instead of a Poisson draw")
def fixed_lengths(n_tokens: int, mask_ratio: float, poisson_lambda: float, seed: int) -> list[tuple[int, int]]:
    return _spans(n_tokens, mask_ratio, poisson_lambda, np.random.default_rng(seed), fixed_length=True)


@pitfall(replaces="sample_infill_spans", why="places all spans side by side in one block")
def spans_in_one_block(n_tokens: int, mask_ratio: float, poisson_lambda: float, seed: int) -> list[tuple[int, int]]:
    return _spans(n_tokens, mask_ratio, poisson_lambda, np.random.default_rng(seed), contiguous_slots=True)


@pitfall(replaces="sample_infill_spans", why="draws from an unseeded generator")
def unseeded(n_tokens: int, mask_ratio: float, poisson_lambda: float, seed: int) -> list[tuple[int, int]]:
    return _spans(n_tokens, mask_ratio, poisson_lambda, np.random.default_rng())


@pitfall(replaces="text_infill", why="one mask per masked token (BERT-style), not one per span")
def mask_per_token(tokens: list[int], spans: list[tuple[int, int]], mask_id: int) -> list[int]:
    out, pos = [], 0
    for start, length in sorted(spans):
        if length < 0 or start < pos or start + length > len(tokens):
            raise ValueError("bad spans")
        out += tokens[pos:start] + [mask_id] * max(length, 1)
        pos = start + length
    return out + tokens[pos:]


@pitfall(replaces="text_infill", why="skips zero-length spans: no <mask> is inserted")
def no_insertion(tokens: list[int], spans: list[tuple[int, int]], mask_id: int) -> list[int]:
    out, pos = [], 0
    for start, length in spans:
        if length < 0 or start < pos or start + length > len(tokens):
            raise ValueError("bad spans")
        out += tokens[pos:start] + ([mask_id] if length else [])
        pos = start + length
    return out + tokens[pos:]


@pitfall(replaces="text_infill", why="does not validate the spans: overlapping or out-of-range spans pass silently")
def no_validation(tokens: list[int], spans: list[tuple[int, int]], mask_id: int) -> list[int]:
    out, pos = [], 0
    for start, length in spans:
        out += tokens[pos:start] + [mask_id]
        pos = max(pos, start + length)
    return out + tokens[pos:]


def _sentences(tokens: list[int], eos_id: int, *, keep_tail: bool = True) -> list[list[int]]:
    sentences, current = [], []
    for tok in tokens:
        current.append(tok)
        if tok == eos_id:
            sentences.append(current)
            current = []
    if current and keep_tail:
        sentences.append(current)
    return sentences


@pitfall(replaces="permute_sentences", why="drops the final sentence that has no EOS")
def drops_tail(tokens: list[int], eos_id: int, seed: int) -> list[int]:
    sentences = _sentences(tokens, eos_id, keep_tail=False)
    order = np.random.default_rng(seed).permutation(len(sentences))
    return [tok for i in order for tok in sentences[i]]


@pitfall(replaces="permute_sentences", why="rotates the sentences by a random offset instead of permuting them")
def rotation(tokens: list[int], eos_id: int, seed: int) -> list[int]:
    sentences = _sentences(tokens, eos_id)
    k = int(np.random.default_rng(seed).integers(0, max(len(sentences), 1)))
    return [tok for s in sentences[k:] + sentences[:k] for tok in s]


@pitfall(replaces="permute_sentences", why="shuffles tokens, not sentences")
def shuffles_tokens(tokens: list[int], eos_id: int, seed: int) -> list[int]:
    return [tokens[i] for i in np.random.default_rng(seed).permutation(len(tokens))]


@pitfall(replaces="permute_sentences", why="splits before each EOS, so every EOS moves to the start of the next sentence")
def split_before_eos(tokens: list[int], eos_id: int, seed: int) -> list[int]:
    sentences, current = [], []
    for tok in tokens:
        if tok == eos_id and current:
            sentences.append(current)
            current = []
        current.append(tok)
    if current:
        sentences.append(current)
    order = np.random.default_rng(seed).permutation(len(sentences))
    return [tok for i in order for tok in sentences[i]]
