"""Reference solution for arch-01-3."""
from __future__ import annotations

import numpy as np


def sample_infill_spans(n_tokens: int, mask_ratio: float, poisson_lambda: float,
                        seed: int) -> list[tuple[int, int]]:
    if n_tokens < 1 or not 0.0 <= mask_ratio <= 1.0 or poisson_lambda <= 0:
        raise ValueError(f"bad arguments: {n_tokens=}, {mask_ratio=}, {poisson_lambda=}")
    rng = np.random.default_rng(seed)
    budget = round(n_tokens * mask_ratio)
    lengths: list[int] = []
    total = 0
    while total < budget:
        length = int(rng.poisson(poisson_lambda))
        length = min(length, budget - total)
        lengths.append(length)
        total += length
    k = len(lengths)
    slots = np.sort(rng.choice(n_tokens - budget + k, size=k, replace=False))
    spans = []
    # slot s is the (s - i)-th unmasked gap after i earlier spans; its start adds their masked lengths.
    masked_before = 0
    for i, (slot, length) in enumerate(zip(slots, lengths, strict=True)):
        start = int(slot) - i + masked_before
        spans.append((start, length))
        masked_before += length
    return spans


def text_infill(tokens: list[int], spans: list[tuple[int, int]], mask_id: int) -> list[int]:
    end = 0
    for start, length in spans:
        if length < 0 or start < end or start + length > len(tokens):
            raise ValueError(f"spans must be sorted, non-overlapping and inside the sequence: {spans}")
        end = start + length
    out: list[int] = []
    pos = 0
    for start, length in spans:
        out += tokens[pos:start]
        out.append(mask_id)
        pos = start + length
    return out + tokens[pos:]


def permute_sentences(tokens: list[int], eos_id: int, seed: int) -> list[int]:
    sentences: list[list[int]] = []
    current: list[int] = []
    for tok in tokens:
        current.append(tok)
        if tok == eos_id:
            sentences.append(current)
            current = []
    if current:
        sentences.append(current)
    order = np.random.default_rng(seed).permutation(len(sentences))
    return [tok for i in order for tok in sentences[i]]
