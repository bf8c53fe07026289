"""rl-01-6: Dyna-Q, planning with a learned tabular model. Edit this file; `grader check rl-01-6` tests it."""
from __future__ import annotations

import gymnasium as gym
import numpy as np


def epsilon_greedy(q_row: np.ndarray, epsilon: float, rng: np.random.Generator) -> int:
    """With probability epsilon a uniform action, else a uniformly drawn argmax (given)."""
    if rng.random() < epsilon:
        return int(rng.integers(len(q_row)))
    best = np.flatnonzero(q_row == q_row.max())
    return int(best[rng.integers(len(best))])


def q_update(Q: np.ndarray, s: int, a: int, r: float, s_next: int, terminated: bool,
             alpha: float, gamma: float) -> None:
    """The Q-learning update, in place (given)."""
    target = r if terminated else r + gamma * Q[s_next].max()
    Q[s, a] += alpha * (target - Q[s, a])


class TabularModel:
    """A deterministic learned model: for each (s, a) seen, the latest (r, s_next, terminated).

    `update` records an observed transition (a pair seen again overwrites its outcome);
    `len(model)` is the number of distinct (s, a) pairs seen; `sample(rng)` returns
    (s, a, r, s_next, terminated) for a pair drawn uniformly among the distinct pairs seen, as
    `pairs[rng.integers(len(pairs))]` with `pairs` in the order each pair was first seen
    (one draw from rng per sample). Sampling an empty model raises ValueError.
    """

    def __init__(self) -> None:
        raise NotImplementedError("TabularModel: store outcomes per (s, a) and the order pairs were first seen")

    def update(self, s: int, a: int, r: float, s_next: int, terminated: bool) -> None:
        raise NotImplementedError("TabularModel.update")

    def __len__(self) -> int:
        raise NotImplementedError("TabularModel.__len__")

    def sample(self, rng: np.random.Generator) -> tuple[int, int, float, int, bool]:
        raise NotImplementedError("TabularModel.sample")


def dyna_q(env: gym.Env, episodes: int, n_planning: int, alpha: float, gamma: float, epsilon: float,
           seed: int) -> tuple[np.ndarray, list[int]]:
    """Tabular Dyna-Q; returns Q and the number of real environment steps of each episode.

    Q starts at zeros((env.observation_space.n, env.action_space.n)); one
    rng = np.random.default_rng(seed) serves action choices and planning; env.reset(seed=seed)
    starts the first episode, plain env.reset() the others. Each real step:
        a = epsilon_greedy(Q[s], epsilon, rng); s', r, terminated, truncated = env.step(a)
        q_update(Q, s, a, r, s', terminated, alpha, gamma)          (direct RL)
        model.update(s, a, r, s', terminated)                       (model learning)
        n_planning times: q_update(Q, *model.sample(rng), alpha, gamma)   (planning)
    and the episode ends on terminated or truncated.

    Raises:
        ValueError: n_planning < 0.

    Shapes:
        returns: Q (n_states, n_actions) float64, and a list of `episodes` ints
    """
    raise NotImplementedError("dyna_q: act, learn, update the model, then plan n_planning times")
