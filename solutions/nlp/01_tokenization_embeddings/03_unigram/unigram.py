"""Reference solution for nlp-01-3."""
from __future__ import annotations

import math
from collections.abc import Mapping


def _logaddexp(a: float, b: float) -> float:
    if a == -math.inf:
        return b
    if b == -math.inf:
        return a
    m = max(a, b)
    return m + math.log(math.exp(a - m) + math.exp(b - m))


def _edges(text: str, log_probs: Mapping[str, float]) -> list[tuple[int, int, str]]:
    """Every (start, end, piece) with text[start:end] == piece in the vocabulary."""
    longest = max((len(p) for p in log_probs), default=0)
    return [(s, e, text[s:e]) for s in range(len(text))
            for e in range(s + 1, min(len(text), s + longest) + 1) if text[s:e] in log_probs]


def viterbi(text: str, log_probs: Mapping[str, float]) -> list[str]:
    n = len(text)
    best = [-math.inf] * (n + 1)
    back: list[int | None] = [None] * (n + 1)
    best[0] = 0.0
    for s, e, piece in _edges(text, log_probs):  # sorted by start: best[s] is final when used
        if back[s] is None and s > 0:
            continue
        score = best[s] + log_probs[piece]
        if back[e] is None or score > best[e]:
            best[e], back[e] = score, s
    if n and back[n] is None:
        raise ValueError(f"no segmentation of {text!r} with these pieces")
    pieces: list[str] = []
    end = n
    while end > 0:
        start = back[end]
        assert start is not None
        pieces.append(text[start:end])
        end = start
    return pieces[::-1]


def _forward_backward(text: str, log_probs: Mapping[str, float]) -> tuple[list[float], list[float], list]:
    n = len(text)
    edges = _edges(text, log_probs)
    alpha = [-math.inf] * (n + 1)
    alpha[0] = 0.0
    for s, e, piece in edges:
        alpha[e] = _logaddexp(alpha[e], alpha[s] + log_probs[piece])
    beta = [-math.inf] * (n + 1)
    beta[n] = 0.0
    for s, e, piece in sorted(edges, key=lambda t: -t[1]):
        beta[s] = _logaddexp(beta[s], log_probs[piece] + beta[e])
    return alpha, beta, edges


def log_marginal(text: str, log_probs: Mapping[str, float]) -> float:
    alpha, _, _ = _forward_backward(text, log_probs)
    return alpha[len(text)]


def expected_counts(text: str, log_probs: Mapping[str, float]) -> dict[str, float]:
    alpha, beta, edges = _forward_backward(text, log_probs)
    log_z = alpha[len(text)]
    if log_z == -math.inf:
        raise ValueError(f"no segmentation of {text!r} with these pieces")
    counts: dict[str, float] = {}
    for s, e, piece in edges:
        weight = math.exp(alpha[s] + log_probs[piece] + beta[e] - log_z)
        if weight > 0:
            counts[piece] = counts.get(piece, 0.0) + weight
    return counts


def em_step(word_counts: Mapping[str, int], log_probs: Mapping[str, float]) -> dict[str, float]:
    totals: dict[str, float] = {}
    for word, count in word_counts.items():
        for piece, c in expected_counts(word, log_probs).items():
            totals[piece] = totals.get(piece, 0.0) + count * c
    norm = sum(totals.values())
    return {piece: math.log(c / norm) for piece, c in totals.items() if c > 0}
