"""Reference solution for prod-01-1."""
from __future__ import annotations

import math
from collections import Counter

SMOOTH_DEFAULTS = {"none": None, "floor": 0.1, "add-k": 1.0, "exp": None}


def ngram_counts(tokens: list[str], n: int) -> Counter[tuple[str, ...]]:
    """How often each n-gram (a tuple of n consecutive tokens) occurs in `tokens`."""
    return Counter(tuple(tokens[i:i + n]) for i in range(len(tokens) - n + 1))


def clipped_matches(hypothesis: list[str], references: list[list[str]], n: int) -> tuple[int, int]:
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    if not references:
        raise ValueError("need at least one reference")
    hyp = ngram_counts(hypothesis, n)
    best: Counter[tuple[str, ...]] = Counter()
    for ref in references:
        for gram, count in ngram_counts(ref, n).items():
            best[gram] = max(best[gram], count)
    matches = sum(min(count, best[gram]) for gram, count in hyp.items())
    return matches, sum(hyp.values())


def closest_reference_length(hyp_len: int, ref_lens: list[int]) -> int:
    if not ref_lens:
        raise ValueError("need at least one reference length")
    return min(ref_lens, key=lambda r: (abs(r - hyp_len), r))


def brevity_penalty(hyp_len: int, ref_len: int) -> float:
    if hyp_len >= ref_len:
        return 1.0
    if hyp_len == 0:
        return 0.0
    return math.exp(1.0 - ref_len / hyp_len)


def corpus_bleu(hypotheses: list[list[str]], references: list[list[list[str]]], max_order: int = 4,
                smooth: str = "none", smooth_value: float | None = None) -> float:
    if len(hypotheses) != len(references):
        raise ValueError(f"{len(hypotheses)} hypotheses but {len(references)} reference lists")
    if max_order < 1:
        raise ValueError(f"max_order must be at least 1, got {max_order}")
    if smooth not in SMOOTH_DEFAULTS:
        raise ValueError(f"unknown smoothing {smooth!r}; choose one of {sorted(SMOOTH_DEFAULTS)}")
    if smooth_value is None:
        smooth_value = SMOOTH_DEFAULTS[smooth]
    elif smooth_value <= 0:
        raise ValueError(f"smooth_value must be positive, got {smooth_value}")
    correct = [0.0] * max_order
    total = [0.0] * max_order
    hyp_len = ref_len = 0
    for hyp, refs in zip(hypotheses, references, strict=True):
        if not refs:
            raise ValueError("every hypothesis needs at least one reference")
        for n in range(1, max_order + 1):
            m, t = clipped_matches(hyp, refs, n)
            correct[n - 1] += m
            total[n - 1] += t
        hyp_len += len(hyp)
        ref_len += closest_reference_length(len(hyp), [len(r) for r in refs])
    if not any(correct):
        return 0.0
    bp = brevity_penalty(hyp_len, ref_len)
    log_sum = 0.0
    halvings = 1.0
    for n in range(1, max_order + 1):
        c, t = correct[n - 1], total[n - 1]
        if smooth == "add-k" and n > 1:
            c, t = c + smooth_value, t + smooth_value
        if t == 0:
            return 0.0
        if c == 0:
            if smooth == "exp":
                halvings *= 2.0
                p = 1.0 / (halvings * t)
            elif smooth == "floor":
                p = smooth_value / t
            else:
                return 0.0
        else:
            p = c / t
        log_sum += math.log(p)
    return 100.0 * bp * math.exp(log_sum / max_order)
