"""Reference solution for nlp-19-1."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

# step_fn(prefix) -> (log-probabilities of the next token (V,), attention over the source (S,))
StepFn = Callable[[tuple[int, ...]], tuple[np.ndarray, np.ndarray]]


def length_penalty(length: int, alpha: float) -> float:
    return ((5.0 + length) / 6.0) ** alpha


def coverage_penalty(attention: np.ndarray, beta: float) -> float:
    total = np.asarray(attention, dtype=np.float64).sum(axis=0)
    with np.errstate(divide="ignore"):
        return float(beta * np.log(np.minimum(total, 1.0)).sum()) if beta else 0.0


def gnmt_score(logprob: float, length: int, attention: np.ndarray, alpha: float, beta: float) -> float:
    return logprob / length_penalty(length, alpha) + coverage_penalty(attention, beta)


def beam_search(step_fn: StepFn, vocab_size: int, eos: int, beam_width: int, max_len: int, alpha: float = 0.0,
                beta: float = 0.0) -> tuple[tuple[int, ...], float]:
    if beam_width < 1 or max_len < 1:
        raise ValueError(f"need beam_width >= 1 and max_len >= 1, got {beam_width=}, {max_len=}")
    beams: list[tuple[tuple[int, ...], float, list[np.ndarray]]] = [((), 0.0, [])]
    finished: list[tuple[float, tuple[int, ...]]] = []
    for _ in range(max_len):
        candidates = []
        for tokens, lp, attn in beams:
            logp, a = step_fn(tokens)
            for v in range(vocab_size):
                candidates.append((tokens + (v,), lp + float(logp[v]), attn + [np.asarray(a, dtype=np.float64)]))
        candidates.sort(key=lambda c: (-c[1], c[0]))
        beams = []
        for tokens, lp, attn in candidates[:beam_width]:
            if tokens[-1] == eos or len(tokens) == max_len:
                finished.append((gnmt_score(lp, len(tokens), np.stack(attn), alpha, beta), tokens))
            else:
                beams.append((tokens, lp, attn))
        if not beams:
            break
    best = min(finished, key=lambda f: (-f[0], f[1]))
    return best[1], best[0]
