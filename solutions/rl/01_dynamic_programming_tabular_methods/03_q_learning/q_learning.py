"""Reference solution for rl-01-3."""
from __future__ import annotations

from collections.abc import Callable

import gymnasium as gym
import numpy as np


def epsilon_greedy(q_row: np.ndarray, epsilon: float, rng: np.random.Generator) -> int:
    if rng.random() < epsilon:
        return int(rng.integers(len(q_row)))
    best = np.flatnonzero(q_row == q_row.max())
    return int(best[rng.integers(len(best))])


def q_learning_update(Q: np.ndarray, s: int, a: int, r: float, s_next: int, terminated: bool,
                      alpha: float, gamma: float) -> float:
    target = r if terminated else r + gamma * Q[s_next].max()
    delta = float(target - Q[s, a])
    Q[s, a] += alpha * delta
    return delta


def q_learning(env: gym.Env, episodes: int, alpha: float, gamma: float,
               epsilon: float | Callable[[int], float], seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    Q = np.zeros((env.observation_space.n, env.action_space.n))
    schedule = epsilon if callable(epsilon) else (lambda _episode: epsilon)
    for episode in range(episodes):
        s, _ = env.reset(seed=seed if episode == 0 else None)
        eps = schedule(episode)
        while True:
            a = epsilon_greedy(Q[s], eps, rng)
            s_next, r, terminated, truncated, _ = env.step(a)
            q_learning_update(Q, s, a, float(r), s_next, terminated, alpha, gamma)
            if terminated or truncated:
                break
            s = s_next
    return Q
