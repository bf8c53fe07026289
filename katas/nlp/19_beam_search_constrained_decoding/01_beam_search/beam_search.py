"""nlp-19-1: beam search with length normalization and coverage penalty. Edit this file;
`grader check nlp-19-1` tests it."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

# step_fn(prefix) -> (log-probabilities of the next token (V,), attention over the source (S,))
StepFn = Callable[[tuple[int, ...]], tuple[np.ndarray, np.ndarray]]


def length_penalty(length: int, alpha: float) -> float:
    """GNMT length penalty lp(Y) = ((5 + |Y|) / (5 + 1))^alpha."""
    raise NotImplementedError("length_penalty: ((5 + length) / 6) ** alpha")


def coverage_penalty(attention: np.ndarray, beta: float) -> float:
    """GNMT coverage penalty cp = beta * sum_i log(min(sum_t attention[t, i], 1.0)).

    Source words that received a total attention of at least 1 cost nothing; neglected ones are
    penalised. beta = 0 gives 0. The input is not modified.

    Shapes:
        attention: (T, S) one row per generated token, one column per source position
    """
    raise NotImplementedError("coverage_penalty: sum over target steps, clip at 1, log, sum over source")


def gnmt_score(logprob: float, length: int, attention: np.ndarray, alpha: float, beta: float) -> float:
    """s(Y, X) = logprob / length_penalty(length, alpha) + coverage_penalty(attention, beta)."""
    raise NotImplementedError("gnmt_score: normalised log-probability plus coverage penalty")


def beam_search(step_fn: StepFn, vocab_size: int, eos: int, beam_width: int, max_len: int, alpha: float = 0.0,
                beta: float = 0.0) -> tuple[tuple[int, ...], float]:
    """Beam search returning the finished hypothesis with the best gnmt_score, and that score.

    Start from the empty prefix. Each step, extend every live hypothesis by every token (one step_fn
    call per hypothesis), rank all candidates by cumulative log-probability (ties: the smaller token
    tuple first) and keep the best beam_width. A kept candidate that ends with eos or has max_len
    tokens is finished (scored with gnmt_score over its length, EOS included, and the attention rows of
    the steps that produced it) and leaves the beam; the others are the next step's beam. Stop when
    the beam is empty or after max_len steps. Among finished hypotheses the highest score wins (ties:
    the smaller token tuple).

    Raises:
        ValueError: if beam_width < 1 or max_len < 1.
    """
    raise NotImplementedError("beam_search: expand, rank by log-probability, keep beam_width, finish on EOS")
