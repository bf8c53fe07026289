"""Plausible wrong versions of constrained decoding that the tests must reject."""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from constrained import DFA, LogitsFn, allowed_tokens, distance_to_accept, walk


@pitfall(replaces="walk", why="skips characters the DFA cannot read instead of stopping at the dead end")
def skips_unknown(dfa: DFA, state: int, text: str) -> int | None:
    for ch in text:
        nxt = dfa.next(state, ch)
        if nxt is not None:
            state = nxt
    return state


@pitfall(replaces="walk", why="only checks the first character of a multi-character token")
def first_char_only(dfa: DFA, state: int, text: str) -> int | None:
    if not text:
        return state
    return dfa.next(state, text[0])


@pitfall(replaces="distance_to_accept", why="one relaxation sweep instead of iterating to a fixed point")
def one_sweep(dfa: DFA, vocab: Sequence[str], eos: int) -> dict[int, int]:
    dist = {s: 0 for s in dfa.accepting}
    for s in dfa.states:
        best = min((dist[t] + 1 for i, tok in enumerate(vocab) if i != eos
                    for t in [walk(dfa, s, tok)] if t is not None and t in dist), default=None)
        if best is not None and best < dist.get(s, 1 << 30):
            dist[s] = best
    return dist


@pitfall(replaces="distance_to_accept", why="counts characters to acceptance instead of tokens")
def in_characters(dfa: DFA, vocab: Sequence[str], eos: int) -> dict[int, int]:
    alphabet = sorted({ch for i, tok in enumerate(vocab) if i != eos for ch in tok})
    dist = {s: 0 for s in dfa.accepting}
    changed = True
    while changed:
        changed = False
        for s in dfa.states:
            best = min((dist[t] + 1 for ch in alphabet for t in [dfa.next(s, ch)] if t is not None and t in dist),
                       default=None)
            if best is not None and best < dist.get(s, 1 << 30):
                dist[s] = best
                changed = True
    return dist


@pitfall(replaces="allowed_tokens", why="ignores the budget: any token that does not hit a dead end is allowed")
def no_budget(dfa: DFA, state: int, vocab: Sequence[str], eos: int, dist: dict[int, int],
              remaining: int) -> np.ndarray:
    mask = np.array([walk(dfa, state, tok) is not None for tok in vocab])
    mask[eos] = state in dfa.accepting
    return mask


@pitfall(replaces="allowed_tokens", why="EOS is always allowed (the model may stop mid-structure)")
def eos_always(dfa: DFA, state: int, vocab: Sequence[str], eos: int, dist: dict[int, int],
               remaining: int) -> np.ndarray:
    mask = np.zeros(len(vocab), dtype=bool)
    for i, tok in enumerate(vocab):
        nxt = walk(dfa, state, tok)
        mask[i] = i == eos or (nxt is not None and nxt in dist and dist[nxt] <= remaining - 1)
    return mask


@pitfall(replaces="constrained_greedy", why="never checks the budget up front: generates a non-matching string "
         "instead of raising")
def no_raise(logits_fn: LogitsFn, dfa: DFA, vocab: Sequence[str], eos: int, max_tokens: int) -> list[int]:
    dist = distance_to_accept(dfa, vocab, eos)
    ids: list[int] = []
    state = dfa.start
    while True:
        mask = allowed_tokens(dfa, state, vocab, eos, dist, max_tokens - len(ids))
        if not mask.any():
            mask[eos] = True
        choice = int(np.argmax(np.where(mask, logits_fn(ids), -np.inf)))
        ids.append(choice)
        if choice == eos:
            return ids
        state = walk(dfa, state, vocab[choice])


@pitfall(replaces="constrained_greedy", why="budget off by one: counts the EOS as one of the max_tokens")
def budget_off_by_one(logits_fn: LogitsFn, dfa: DFA, vocab: Sequence[str], eos: int, max_tokens: int) -> list[int]:
    dist = distance_to_accept(dfa, vocab, eos)
    if dfa.start not in dist or dist[dfa.start] > max_tokens - 1:
        raise ValueError("too short")
    ids: list[int] = []
    state = dfa.start
    while True:
        mask = allowed_tokens(dfa, state, vocab, eos, dist, max_tokens - 1 - len(ids))
        choice = int(np.argmax(np.where(mask, logits_fn(ids), -np.inf)))
        ids.append(choice)
        if choice == eos:
            return ids
        state = walk(dfa, state, vocab[choice])
