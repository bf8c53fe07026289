"""Plausible wrong BLEU implementations that the tests must reject."""
from __future__ import annotations

import math
from collections import Counter
from typing import TYPE_CHECKING

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from bleu import SMOOTH_DEFAULTS, brevity_penalty, clipped_matches, closest_reference_length, ngram_counts


@pitfall(replaces="clipped_matches", why="no clipping: every hypothesis n-gram found in a reference counts, however often it repeats")
def unclipped(hypothesis: list[str], references: list[list[str]], n: int) -> tuple[int, int]:
    if n < 1 or not references:
        raise ValueError("bad arguments")
    hyp = ngram_counts(hypothesis, n)
    seen = set().union(*(ngram_counts(r, n) for r in references))
    return sum(c for g, c in hyp.items() if g in seen), sum(hyp.values())


@pitfall(replaces="clipped_matches", why="clips by the count summed over all references instead of the largest single count")
def clip_by_sum(hypothesis: list[str], references: list[list[str]], n: int) -> tuple[int, int]:
    if n < 1 or not references:
        raise ValueError("bad arguments")
    hyp = ngram_counts(hypothesis, n)
    pooled: Counter[tuple[str, ...]] = Counter()
    for r in references:
        pooled.update(ngram_counts(r, n))
    return sum(min(c, pooled[g]) for g, c in hyp.items()), sum(hyp.values())


@pitfall(replaces="closest_reference_length", why="breaks a length tie towards the longer reference")
def tie_to_longer(hyp_len: int, ref_lens: list[int]) -> int:
    if not ref_lens:
        raise ValueError("no references")
    return min(ref_lens, key=lambda r: (abs(r - hyp_len), -r))


@pitfall(replaces="closest_reference_length", why="uses the shortest reference instead of the closest one")
def shortest_reference(hyp_len: int, ref_lens: list[int]) -> int:
    if not ref_lens:
        raise ValueError("no references")
    return min(ref_lens)


@pitfall(replaces="brevity_penalty", why="ratio upside down: exp(1 - c/r), a penalty that grows as the hypothesis gets longer")
def inverted_ratio(hyp_len: int, ref_len: int) -> float:
    if hyp_len >= ref_len:
        return 1.0
    return math.exp(1.0 - hyp_len / ref_len)


@pitfall(replaces="brevity_penalty", why="penalises any length mismatch, also hypotheses longer than the reference")
def two_sided(hyp_len: int, ref_len: int) -> float:
    if hyp_len == ref_len:
        return 1.0
    if hyp_len == 0:
        return 0.0
    return math.exp(1.0 - max(hyp_len, ref_len) / min(hyp_len, ref_len)) if min(hyp_len, ref_len) else 1.0


def _combine(correct: list[float], total: list[float], bp: float, max_order: int, smooth: str, k: float | None,
             add_k_unigrams: bool = False, exp_constant: bool = False, arithmetic: bool = False) -> float:
    if not any(correct):
        return 0.0
    precisions = []
    halvings = 1.0
    for n in range(1, max_order + 1):
        c, t = correct[n - 1], total[n - 1]
        if smooth == "add-k" and (n > 1 or add_k_unigrams):
            c, t = c + k, t + k
        if t == 0:
            return 0.0
        if c == 0:
            if smooth == "exp":
                halvings = 2.0 if exp_constant else halvings * 2.0
                precisions.append(1.0 / (halvings * t))
            elif smooth == "floor":
                precisions.append(k / t)
            else:
                return 0.0
        else:
            precisions.append(c / t)
    if arithmetic:
        return 100.0 * bp * sum(precisions) / max_order
    return 100.0 * bp * math.exp(sum(math.log(p) for p in precisions) / max_order)


def _stats(hypotheses: list[list[str]], references: list[list[list[str]]], max_order: int, smooth: str,
           smooth_value: float | None) -> tuple[list[float], list[float], int, int, float | None]:
    if len(hypotheses) != len(references) or max_order < 1 or smooth not in SMOOTH_DEFAULTS:
        raise ValueError("bad arguments")
    if smooth_value is not None and smooth_value <= 0:
        raise ValueError("bad smooth_value")
    k = SMOOTH_DEFAULTS[smooth] if smooth_value is None else smooth_value
    correct, total = [0.0] * max_order, [0.0] * max_order
    c_len = r_len = 0
    for hyp, refs in zip(hypotheses, references, strict=True):
        if not refs:
            raise ValueError("no references")
        for n in range(1, max_order + 1):
            m, t = clipped_matches(hyp, refs, n)
            correct[n - 1] += m
            total[n - 1] += t
        c_len += len(hyp)
        r_len += closest_reference_length(len(hyp), [len(r) for r in refs])
    return correct, total, c_len, r_len, k


@pitfall(replaces="corpus_bleu", why="averages sentence-level BLEU scores instead of pooling the n-gram statistics over the corpus")
def sentence_average(hypotheses: list[list[str]], references: list[list[list[str]]], max_order: int = 4,
                     smooth: str = "none", smooth_value: float | None = None) -> float:
    _stats(hypotheses, references, max_order, smooth, smooth_value)
    scores = []
    for hyp, refs in zip(hypotheses, references, strict=True):
        correct, total, c, r, k = _stats([hyp], [refs], max_order, smooth, smooth_value)
        scores.append(_combine(correct, total, brevity_penalty(c, r), max_order, smooth, k))
    return sum(scores) / len(scores) if scores else 0.0


@pitfall(replaces="corpus_bleu", why="add-k smoothing applied to the unigram precision too")
def add_k_on_unigrams(hypotheses: list[list[str]], references: list[list[list[str]]], max_order: int = 4,
                      smooth: str = "none", smooth_value: float | None = None) -> float:
    correct, total, c, r, k = _stats(hypotheses, references, max_order, smooth, smooth_value)
    return _combine(correct, total, brevity_penalty(c, r), max_order, smooth, k, add_k_unigrams=True)


@pitfall(replaces="corpus_bleu", why="exp smoothing gives every unmatched order 1/(2 total) instead of halving again each time")
def exp_not_compounding(hypotheses: list[list[str]], references: list[list[list[str]]], max_order: int = 4,
                        smooth: str = "none", smooth_value: float | None = None) -> float:
    correct, total, c, r, k = _stats(hypotheses, references, max_order, smooth, smooth_value)
    return _combine(correct, total, brevity_penalty(c, r), max_order, smooth, k, exp_constant=True)


@pitfall(replaces="corpus_bleu", why="arithmetic mean of the precisions instead of the geometric mean")
def arithmetic_mean(hypotheses: list[list[str]], references: list[list[list[str]]], max_order: int = 4,
                    smooth: str = "none", smooth_value: float | None = None) -> float:
    correct, total, c, r, k = _stats(hypotheses, references, max_order, smooth, smooth_value)
    return _combine(correct, total, brevity_penalty(c, r), max_order, smooth, k, arithmetic=True)


@pitfall(replaces="corpus_bleu", why="returns BLEU on a 0-1 scale while sacrebleu (and the docstring) use 0-100")
def unit_scale(hypotheses: list[list[str]], references: list[list[list[str]]], max_order: int = 4,
               smooth: str = "none", smooth_value: float | None = None) -> float:
    correct, total, c, r, k = _stats(hypotheses, references, max_order, smooth, smooth_value)
    return _combine(correct, total, brevity_penalty(c, r), max_order, smooth, k) / 100.0
