"""Reference solution for rl-05-6."""
from __future__ import annotations

import numpy as np

Transitions = dict[int, dict[int, list[tuple[float, int, float, bool]]]]


def potential_shaping(P: Transitions, phi: np.ndarray, gamma: float) -> Transitions:
    if len(phi) != len(P):
        raise ValueError(f"phi must have one entry per state ({len(P)}), got {len(phi)}")
    return {s: {a: [(p, s2, r + gamma * (0.0 if done else float(phi[s2])) - float(phi[s]), done)
                    for p, s2, r, done in outcomes] for a, outcomes in acts.items()} for s, acts in P.items()}


def bonus_shaping(P: Transitions, bonus: np.ndarray) -> Transitions:
    if len(bonus) != len(P):
        raise ValueError(f"bonus must have one entry per state ({len(P)}), got {len(bonus)}")
    return {s: {a: [(p, s2, r + float(bonus[s2]), done) for p, s2, r, done in outcomes]
                for a, outcomes in acts.items()} for s, acts in P.items()}
