"""Plausible wrong reward shapings that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from shaping import Transitions


@pitfall(replaces="potential_shaping", why="F = phi(s') - phi(s) without gamma: not potential-based when gamma < 1")
def missing_gamma(P: Transitions, phi: np.ndarray, gamma: float) -> Transitions:
    if len(phi) != len(P):
        raise ValueError("phi")
    return {s: {a: [(p, s2, r + (0.0 if d else float(phi[s2])) - float(phi[s]), d) for p, s2, r, d in o]
                for a, o in acts.items()} for s, acts in P.items()}


@pitfall(replaces="potential_shaping", why="keeps phi(s') on terminating transitions (the terminal state's potential)")
def terminal_potential(P: Transitions, phi: np.ndarray, gamma: float) -> Transitions:
    if len(phi) != len(P):
        raise ValueError("phi")
    return {s: {a: [(p, s2, r + gamma * float(phi[s2]) - float(phi[s]), d) for p, s2, r, d in o]
                for a, o in acts.items()} for s, acts in P.items()}


@pitfall(replaces="potential_shaping", why="order swapped: gamma * phi(s) - phi(s')")
def swapped(P: Transitions, phi: np.ndarray, gamma: float) -> Transitions:
    if len(phi) != len(P):
        raise ValueError("phi")
    return {s: {a: [(p, s2, r + gamma * float(phi[s]) - (0.0 if d else float(phi[s2])), d) for p, s2, r, d in o]
                for a, o in acts.items()} for s, acts in P.items()}


@pitfall(replaces="potential_shaping", why="edits the caller's transition lists in place")
def in_place(P: Transitions, phi: np.ndarray, gamma: float) -> Transitions:
    if len(phi) != len(P):
        raise ValueError("phi")
    for s, acts in P.items():
        for o in acts.values():
            o[:] = [(p, s2, r + gamma * (0.0 if d else float(phi[s2])) - float(phi[s]), d) for p, s2, r, d in o]
    return P


@pitfall(replaces="bonus_shaping", why="pays the bonus of the state left (s) instead of the state entered (s')")
def bonus_of_source(P: Transitions, bonus: np.ndarray) -> Transitions:
    if len(bonus) != len(P):
        raise ValueError("bonus")
    return {s: {a: [(p, s2, r + float(bonus[s]), d) for p, s2, r, d in o] for a, o in acts.items()}
            for s, acts in P.items()}
