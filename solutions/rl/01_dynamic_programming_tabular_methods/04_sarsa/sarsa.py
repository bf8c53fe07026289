"""Reference solution for rl-01-4."""
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
    target = r if terminated else r + gamma * Q[s_next, a_next]
    delta = float(target - Q[s, a])
    Q[s, a] += alpha * delta
    return delta


def sarsa(env: gym.Env, episodes: int, alpha: float, gamma: float, epsilon: float,
          seed: int) -> tuple[np.ndarray, list[float]]:
    rng = np.random.default_rng(seed)
    Q = np.zeros((env.observation_space.n, env.action_space.n))
    returns = []
    for episode in range(episodes):
        s, _ = env.reset(seed=seed if episode == 0 else None)
        a = epsilon_greedy(Q[s], epsilon, rng)
        total = 0.0
        while True:
            s_next, r, terminated, truncated, _ = env.step(a)
            total += float(r)
            a_next = epsilon_greedy(Q[s_next], epsilon, rng)
            sarsa_update(Q, s, a, float(r), s_next, a_next, terminated, alpha, gamma)
            if terminated or truncated:
                break
            s, a = s_next, a_next
        returns.append(total)
    return Q, returns
