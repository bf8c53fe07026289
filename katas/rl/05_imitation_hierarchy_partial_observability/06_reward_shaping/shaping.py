"""rl-05-6: potential-based reward shaping preserves optimal policies. Edit this file; `grader check rl-05-6` tests it."""
from __future__ import annotations

import numpy as np

# gymnasium's transition model, env.unwrapped.P: P[s][a] = [(prob, s_next, reward, terminated), ...]
Transitions = dict[int, dict[int, list[tuple[float, int, float, bool]]]]


def potential_shaping(P: Transitions, phi: np.ndarray, gamma: float) -> Transitions:
    """A new transition model whose rewards are shaped by the potential phi:

        r' = r + gamma * phi(s') - phi(s)        (phi(s') counts as 0 when the outcome terminates)

    Probabilities, next states and terminated flags are unchanged. P is not modified.

    Raises:
        ValueError: len(phi) != number of states.
    """
    raise NotImplementedError("potential_shaping: add gamma * phi(s') - phi(s) to every outcome's reward")


def bonus_shaping(P: Transitions, bonus: np.ndarray) -> Transitions:
    """A new transition model that pays bonus[s'] on top of the reward for entering s' (a shaping that
    is NOT potential-based). P is not modified.

    Raises:
        ValueError: len(bonus) != number of states.
    """
    raise NotImplementedError("bonus_shaping: add bonus[s'] to every outcome's reward")
