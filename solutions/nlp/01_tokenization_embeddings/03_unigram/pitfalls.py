"""Plausible wrong Unigram implementations that the tests must reject."""
from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from unigram import _edges, _forward_backward, em_step, expected_counts, viterbi


@pitfall(replaces="viterbi", why="greedy longest match from the left instead of the best total score")
def greedy_longest(text: str, log_probs: Mapping[str, float]) -> list[str]:
    pieces, start = [], 0
    while start < len(text):
        for end in range(len(text), start, -1):
            if text[start:end] in log_probs:
                pieces.append(text[start:end])
                start = end
                break
        else:
            raise ValueError("no segmentation")
    return pieces


@pitfall(replaces="_edges", why="off by one: pieces as long as the longest vocabulary entry are never tried")
def edges_too_short(text: str, log_probs: Mapping[str, float]) -> list[tuple[int, int, str]]:
    longest = max((len(p) for p in log_probs), default=0)
    return [(s, e, text[s:e]) for s in range(len(text))
            for e in range(s + 1, min(len(text), s + longest - 1) + 1) if text[s:e] in log_probs]


@pitfall(replaces="log_marginal", why="the forward pass takes the max (Viterbi score) instead of log-sum-exp")
def max_not_sum(text: str, log_probs: Mapping[str, float]) -> float:
    try:
        return math.fsum(log_probs[p] for p in viterbi(text, log_probs))
    except ValueError:
        return -math.inf


@pitfall(replaces="log_marginal", why="sums probabilities in linear space: exp(-800) underflows to 0 and log gives -inf")
def probability_space(text: str, log_probs: Mapping[str, float]) -> float:
    n = len(text)
    alpha = [0.0] * (n + 1)
    alpha[0] = 1.0
    for s, e, piece in _edges(text, log_probs):
        alpha[e] += alpha[s] * math.exp(log_probs[piece])
    return math.log(alpha[n]) if alpha[n] > 0 else -math.inf


@pitfall(replaces="expected_counts", why="forgets to divide by P(text): joint instead of posterior weights")
def unnormalised_counts(text: str, log_probs: Mapping[str, float]) -> dict[str, float]:
    alpha, beta, edges = _forward_backward(text, log_probs)
    counts: dict[str, float] = {}
    for s, e, piece in edges:
        counts[piece] = counts.get(piece, 0.0) + math.exp(alpha[s] + log_probs[piece] + beta[e])
    return counts


@pitfall(replaces="expected_counts", why="hard (Viterbi) counts: only the best segmentation is counted")
def viterbi_counts(text: str, log_probs: Mapping[str, float]) -> dict[str, float]:
    counts: dict[str, float] = {}
    for piece in viterbi(text, log_probs):
        counts[piece] = counts.get(piece, 0.0) + 1.0
    return counts


@pitfall(replaces="em_step", why="ignores the word counts: every distinct word counted once")
def unweighted_words(word_counts: Mapping[str, int], log_probs: Mapping[str, float]) -> dict[str, float]:
    return _solution_em_step({w: 1 for w in word_counts}, log_probs)


@pitfall(replaces="em_step", why="normalises each word's expected counts separately before summing")
def per_word_normalised(word_counts: Mapping[str, int], log_probs: Mapping[str, float]) -> dict[str, float]:
    totals: dict[str, float] = {}
    for word, count in word_counts.items():
        counts = expected_counts(word, log_probs)
        z = sum(counts.values())
        for piece, c in counts.items():
            totals[piece] = totals.get(piece, 0.0) + count * c / z
    norm = sum(totals.values())
    return {piece: math.log(c / norm) for piece, c in totals.items() if c > 0}


_solution_em_step = em_step


@pitfall(replaces="expected_counts", why="no segmentation gives an empty dict instead of raising ValueError")
def silent_when_unsegmentable(text: str, log_probs: Mapping[str, float]) -> dict[str, float]:
    alpha, beta, edges = _forward_backward(text, log_probs)
    log_z = alpha[len(text)]
    if log_z == -math.inf:
        return {}
    counts: dict[str, float] = {}
    for s, e, piece in edges:
        counts[piece] = counts.get(piece, 0.0) + math.exp(alpha[s] + log_probs[piece] + beta[e] - log_z)
    return counts
