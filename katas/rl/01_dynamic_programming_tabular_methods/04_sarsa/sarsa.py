"""rl-01-4: SARSA on CliffWalking. Edit this file; `grader check rl-01-4` tests it."""
from __future__ import annotations

import gymnasium as gym
import numpy as np


def epsilon_greedy(q_row: np.ndarray, epsilon: float, rng: np.random.Generator) -> int:
    """With probability epsilon a uniform action, else a uniformly drawn argmax (given)."""
    if rng.random() < epsilon:
        return int(rng.integers(len(q_row)))
    best = np.flatnonzero(q_row == q_row.max())
    return int(best[rng.integers(len(best))])


def sarsa_update(Q: np.ndarray, s: int, a: int, r: float, s_next: int, a_next: int, terminated: bool,
                 alpha: float, gamma: float) -> float:
    """One SARSA step on the table Q, in place.

        target  = r                               if terminated
                  r + gamma * Q[s_next, a_next]   otherwise (a_next: the action actually taken next)
        delta   = target - Q[s, a]
        Q[s, a] += alpha * delta

    Only Q[s, a] changes.

    Shapes:
        Q: (n_states, n_actions) float64, modified in place
        returns: delta (computed before the update) as a float
    """
    raise NotImplementedError("sarsa_update: move Q[s, a] towards r + gamma * Q[s_next, a_next]")


def sarsa(env: gym.Env, episodes: int, alpha: float, gamma: float, epsilon: float,
          seed: int) -> tuple[np.ndarray, list[float]]:
    """Train a Q-table with on-policy SARSA; return it and each episode's undiscounted return.

    Q starts at zeros((env.observation_space.n, env.action_space.n)); one
    rng = np.random.default_rng(seed) makes every action choice; env.reset(seed=seed) starts the
    first episode, plain env.reset() the others. Each episode:
        s = reset; a = epsilon_greedy(Q[s], epsilon, rng)
        repeat: s', r, terminated, truncated = env.step(a)
                a' = epsilon_greedy(Q[s'], epsilon, rng)        (drawn after every step, before the update)
                sarsa_update(Q, s, a, r, s', a', terminated, alpha, gamma)
                stop if terminated or truncated; else s, a = s', a'
    A truncation (time limit) is not a terminal state: it still bootstraps.

    Shapes:
        returns: Q (n_states, n_actions) float64, and a list of `episodes` floats (sum of rewards)
    """
    raise NotImplementedError("sarsa: act epsilon-greedily and bootstrap from the action you take next")
