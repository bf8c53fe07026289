"""Reference solution for nlp-19-2."""
from __future__ import annotations

from collections.abc import Callable, Sequence

import interegular
import numpy as np

# logits_fn(ids generated so far) -> next-token logits over the whole vocabulary (V,)
LogitsFn = Callable[[list[int]], np.ndarray]


class DFA:
    """Given: the minimal deterministic automaton of a regular expression, built by `interegular`.

    States are ints; `next(state, ch)` is the state after reading character ch, or None when no string
    of the language continues that way (a dead end). A string matches the pattern in full (re.fullmatch)
    exactly when reading it from `start` ends in a state of `accepting`.
    """

    def __init__(self, pattern: str) -> None:
        fsm = interegular.parse_pattern(pattern).to_fsm()
        self.pattern = pattern
        self.start: int = fsm.initial
        self.accepting: frozenset[int] = frozenset(fsm.finals)
        self.states: list[int] = sorted(fsm.states)
        self._alphabet, self._map = fsm.alphabet, fsm.map

    def next(self, state: int, ch: str) -> int | None:
        return self._map.get(state, {}).get(self._alphabet[ch])


def walk(dfa: DFA, state: int, text: str) -> int | None:
    for ch in text:
        nxt = dfa.next(state, ch)
        if nxt is None:
            return None
        state = nxt
    return state


def distance_to_accept(dfa: DFA, vocab: Sequence[str], eos: int) -> dict[int, int]:
    dist = {s: 0 for s in dfa.accepting}
    edges = {s: [walk(dfa, s, tok) for i, tok in enumerate(vocab) if i != eos] for s in dfa.states}
    changed = True
    while changed:
        changed = False
        for s in dfa.states:
            best = min((dist[t] + 1 for t in edges[s] if t is not None and t in dist), default=None)
            if best is not None and best < dist.get(s, 1 << 30):
                dist[s] = best
                changed = True
    return dist


def allowed_tokens(dfa: DFA, state: int, vocab: Sequence[str], eos: int, dist: dict[int, int],
                   remaining: int) -> np.ndarray:
    mask = np.zeros(len(vocab), dtype=bool)
    for i, tok in enumerate(vocab):
        if i == eos:
            mask[i] = state in dfa.accepting
            continue
        nxt = walk(dfa, state, tok)
        mask[i] = nxt is not None and nxt in dist and dist[nxt] <= remaining - 1
    return mask


def constrained_greedy(logits_fn: LogitsFn, dfa: DFA, vocab: Sequence[str], eos: int, max_tokens: int) -> list[int]:
    dist = distance_to_accept(dfa, vocab, eos)
    if dfa.start not in dist or dist[dfa.start] > max_tokens:
        raise ValueError(f"no string of at most {max_tokens} tokens matches {dfa.pattern!r}")
    ids: list[int] = []
    state = dfa.start
    while True:
        mask = allowed_tokens(dfa, state, vocab, eos, dist, max_tokens - len(ids))
        logits = np.asarray(logits_fn(ids), dtype=np.float64)
        choice = int(np.argmax(np.where(mask, logits, -np.inf)))
        ids.append(choice)
        if choice == eos:
            return ids
        state = walk(dfa, state, vocab[choice])
