"""Plausible wrong versions of beam search that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from beam_search import StepFn, coverage_penalty, gnmt_score, length_penalty


@pitfall(replaces="length_penalty", why="(5 + |Y|)^alpha without the (5 + 1)^alpha normaliser")
def unnormalised_lp(length: int, alpha: float) -> float:
    return (5.0 + length) ** alpha


@pitfall(replaces="coverage_penalty", why="no min(., 1): over-attended source words earn a bonus")
def no_clip(attention: np.ndarray, beta: float) -> float:
    return float(beta * np.log(np.asarray(attention).sum(0)).sum())


@pitfall(replaces="coverage_penalty", why="sums over the source axis instead of the target axis")
def wrong_axis(attention: np.ndarray, beta: float) -> float:
    return float(beta * np.log(np.minimum(np.asarray(attention).sum(1), 1.0)).sum())


@pitfall(replaces="gnmt_score", why="divides the coverage penalty by the length penalty too")
def cp_normalised(logprob: float, length: int, attention: np.ndarray, alpha: float, beta: float) -> float:
    return (logprob + coverage_penalty(attention, beta)) / length_penalty(length, alpha)


def _search(step_fn: StepFn, v: int, eos: int, width: int, max_len: int, alpha: float, beta: float,
            pick_by_logprob: bool = False) -> tuple[tuple[int, ...], float]:
    if width < 1 or max_len < 1:
        raise ValueError("sizes")
    beams = [((), 0.0, [])]
    finished = []
    for _ in range(max_len):
        cands = []
        for tokens, lp, attn in beams:
            logp, a = step_fn(tokens)
            for x in range(v):
                cands.append((tokens + (x,), lp + float(logp[x]), attn + [np.asarray(a, float)]))
        cands.sort(key=lambda c: (-c[1], c[0]))
        beams = []
        for tokens, lp, attn in cands[:width]:
            if tokens[-1] == eos or len(tokens) == max_len:
                s = lp if pick_by_logprob else gnmt_score(lp, len(tokens), np.stack(attn), alpha, beta)
                finished.append((s, tokens, lp, attn))
            else:
                beams.append((tokens, lp, attn))
        if not beams:
            break
    best = min(finished, key=lambda f: (-f[0], f[1]))
    return best[1], gnmt_score(best[2], len(best[1]), np.stack(best[3]), alpha, beta)


@pitfall(replaces="beam_search", why="picks the finished hypothesis by raw log-probability (length penalty ignored)")
def pick_raw(step_fn: StepFn, vocab_size: int, eos: int, beam_width: int, max_len: int, alpha: float = 0.0,
             beta: float = 0.0) -> tuple[tuple[int, ...], float]:
    return _search(step_fn, vocab_size, eos, beam_width, max_len, alpha, beta, pick_by_logprob=True)


@pitfall(replaces="beam_search", why="every candidate ending in EOS is finished, even those ranked outside the beam "
         "(finished hypotheses no longer take a slot)")
def eos_outside_beam(step_fn: StepFn, vocab_size: int, eos: int, beam_width: int, max_len: int, alpha: float = 0.0,
                     beta: float = 0.0) -> tuple[tuple[int, ...], float]:
    if beam_width < 1 or max_len < 1:
        raise ValueError("sizes")
    beams = [((), 0.0, [])]
    finished = []
    for _ in range(max_len):
        cands = []
        for tokens, lp, attn in beams:
            logp, a = step_fn(tokens)
            cands += [(tokens + (x,), lp + float(logp[x]), attn + [np.asarray(a, float)]) for x in range(vocab_size)]
        cands.sort(key=lambda c: (-c[1], c[0]))
        beams = []
        for tokens, lp, attn in cands:
            if tokens[-1] == eos or len(tokens) == max_len:
                finished.append((gnmt_score(lp, len(tokens), np.stack(attn), alpha, beta), tokens))
            elif len(beams) < beam_width:
                beams.append((tokens, lp, attn))
        if not beams:
            break
    best = min(finished, key=lambda f: (-f[0], f[1]))
    return best[1], best[0]


@pitfall(replaces="beam_search", why="keeps only the best finished hypothesis of the last step (drops early EOS)")
def last_step_only(step_fn: StepFn, vocab_size: int, eos: int, beam_width: int, max_len: int, alpha: float = 0.0,
                   beta: float = 0.0) -> tuple[tuple[int, ...], float]:
    if beam_width < 1 or max_len < 1:
        raise ValueError("sizes")
    beams = [((), 0.0, [])]
    last = []
    for _ in range(max_len):
        cands = []
        for tokens, lp, attn in beams:
            logp, a = step_fn(tokens)
            cands += [(tokens + (x,), lp + float(logp[x]), attn + [np.asarray(a, float)]) for x in range(vocab_size)]
        cands.sort(key=lambda c: (-c[1], c[0]))
        beams, last = [], []
        for tokens, lp, attn in cands[:beam_width]:
            if tokens[-1] == eos or len(tokens) == max_len:
                last.append((gnmt_score(lp, len(tokens), np.stack(attn), alpha, beta), tokens))
            else:
                beams.append((tokens, lp, attn))
        if not beams:
            break
    best = min(last, key=lambda f: (-f[0], f[1]))
    return best[1], best[0]


@pitfall(replaces="beam_search", why="accepts beam_width = 0 (returns nothing useful instead of raising)")
def no_validation(step_fn: StepFn, vocab_size: int, eos: int, beam_width: int, max_len: int, alpha: float = 0.0,
                  beta: float = 0.0) -> tuple[tuple[int, ...], float]:
    if beam_width < 1 or max_len < 1:
        return (), 0.0
    return _search(step_fn, vocab_size, eos, beam_width, max_len, alpha, beta)
