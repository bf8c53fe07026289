"""rl-01-3: tabular Q-learning on FrozenLake. Edit this file; `grader check rl-01-3` tests it."""
from __future__ import annotations

from collections.abc import Callable

import gymnasium as gym
import numpy as np


def epsilon_greedy(q_row: np.ndarray, epsilon: float, rng: np.random.Generator) -> int:
    """Pick an action epsilon-greedily from one row of the Q-table.

    With probability epsilon, an action drawn uniformly from ALL actions (the greedy ones included);
    otherwise a greedy action, i.e. one of argmax_a q_row[a], drawn uniformly among the tied
    maxima (a fresh all-zero Q-table ties every action: `np.argmax` would always pick action 0).
    Draw every random number from `rng`.

    Shapes:
        q_row: (n_actions,) float
        returns: a Python int in [0, n_actions)
    """
    raise NotImplementedError("epsilon_greedy: explore with probability epsilon, else a random argmax")


def q_learning_update(Q: np.ndarray, s: int, a: int, r: float, s_next: int, terminated: bool,
                      alpha: float, gamma: float) -> float:
    """One Q-learning step on the table Q, in place.

        target  = r                                if terminated
                  r + gamma * max_a' Q[s_next, a'] otherwise
        delta   = target - Q[s, a]
        Q[s, a] += alpha * delta

    Only Q[s, a] changes. `terminated` means s_next is a terminal state of the MDP (a hole or the
    goal); an episode cut off by a time limit is *truncated*, not terminated, and still bootstraps.

    Shapes:
        Q: (n_states, n_actions) float64, modified in place
        returns: delta (the TD error, computed before the update) as a float
    """
    raise NotImplementedError("q_learning_update: move Q[s, a] towards the Bellman target")


def q_learning(env: gym.Env, episodes: int, alpha: float, gamma: float,
               epsilon: float | Callable[[int], float], seed: int) -> np.ndarray:
    """Train a Q-table with Q-learning for `episodes` episodes and return it.

    Start from Q = zeros((env.observation_space.n, env.action_space.n)). Make one generator
    `rng = np.random.default_rng(seed)` for all action choices, and reset the environment with
    `env.reset(seed=seed)` for the first episode (plain `env.reset()` afterwards), so a run is
    reproducible. In each episode, until `terminated or truncated`: choose a with
    `epsilon_greedy(Q[s], eps, rng)`, step the environment, and apply `q_learning_update` (passing
    `terminated`, not `truncated`). `epsilon` is a constant or a schedule `episode index -> epsilon`.

    Shapes:
        returns: (n_states, n_actions) float64
    """
    raise NotImplementedError("q_learning: run episodes of epsilon-greedy acting and Q-learning updates")
