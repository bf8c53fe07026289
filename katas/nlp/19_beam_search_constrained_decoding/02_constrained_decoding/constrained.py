"""nlp-19-2: grammar-constrained decoding (regex automata; JSON and XML structure). Edit this file;
`grader check nlp-19-2` tests it."""
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
    """The state reached by reading text character by character from state, or None at a dead end."""
    raise NotImplementedError("walk: follow dfa.next for every character")


def distance_to_accept(dfa: DFA, vocab: Sequence[str], eos: int) -> dict[int, int]:
    """For every state that can still reach acceptance: the fewest vocabulary tokens (EOS excluded) whose
    concatenation leads from it to an accepting state (0 for accepting states). States that cannot reach
    acceptance with these tokens are absent from the dict.
    """
    raise NotImplementedError("distance_to_accept: shortest paths on the token-level graph of the DFA")


def allowed_tokens(dfa: DFA, state: int, vocab: Sequence[str], eos: int, dist: dict[int, int],
                   remaining: int) -> np.ndarray:
    """Which tokens may be generated next, with `remaining` non-EOS tokens still allowed.

    EOS is allowed iff state is accepting. Another token is allowed iff walking it from state ends in a
    state s with dist[s] <= remaining - 1 (so the output can still be completed in time).

    Shapes:
        returns: (len(vocab),) bool
    """
    raise NotImplementedError("allowed_tokens: EOS when accepting, otherwise tokens that can still finish in time")


def constrained_greedy(logits_fn: LogitsFn, dfa: DFA, vocab: Sequence[str], eos: int, max_tokens: int) -> list[int]:
    """Greedy decoding under the grammar: each step, the allowed token with the largest logit (ties: lowest
    id), with remaining = max_tokens - tokens generated so far; stop after EOS.

    The text (the non-EOS tokens' strings joined) always matches dfa.pattern in full, with at most
    max_tokens tokens before the EOS.

    Shapes:
        logits_fn(ids so far): (len(vocab),)
        returns: the generated ids, ending with eos

    Raises:
        ValueError: if no string of at most max_tokens tokens matches.
    """
    raise NotImplementedError("constrained_greedy: mask, argmax, advance the DFA, stop at EOS")
