"""Reference solution for rl-01-6."""
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
    def __init__(self) -> None:
        self.outcome: dict[tuple[int, int], tuple[float, int, bool]] = {}
        self.pairs: list[tuple[int, int]] = []

    def update(self, s: int, a: int, r: float, s_next: int, terminated: bool) -> None:
        if (s, a) not in self.outcome:
            self.pairs.append((s, a))
        self.outcome[(s, a)] = (float(r), int(s_next), bool(terminated))

    def __len__(self) -> int:
        return len(self.pairs)

    def sample(self, rng: np.random.Generator) -> tuple[int, int, float, int, bool]:
        if not self.pairs:
            raise ValueError("the model has not seen any transition yet")
        s, a = self.pairs[int(rng.integers(len(self.pairs)))]
        r, s_next, terminated = self.outcome[(s, a)]
        return s, a, r, s_next, terminated


def dyna_q(env: gym.Env, episodes: int, n_planning: int, alpha: float, gamma: float, epsilon: float,
           seed: int) -> tuple[np.ndarray, list[int]]:
    if n_planning < 0:
        raise ValueError(f"n_planning must be >= 0, got {n_planning}")
    rng = np.random.default_rng(seed)
    Q = np.zeros((env.observation_space.n, env.action_space.n))
    model = TabularModel()
    steps = []
    for episode in range(episodes):
        s, _ = env.reset(seed=seed if episode == 0 else None)
        n = 0
        while True:
            a = epsilon_greedy(Q[s], epsilon, rng)
            s_next, r, terminated, truncated, _ = env.step(a)
            n += 1
            q_update(Q, s, a, float(r), int(s_next), terminated, alpha, gamma)
            model.update(s, a, float(r), int(s_next), terminated)
            for _ in range(n_planning):
                ps, pa, pr, ps_next, pterm = model.sample(rng)
                q_update(Q, ps, pa, pr, ps_next, pterm, alpha, gamma)
            if terminated or truncated:
                break
            s = int(s_next)
        steps.append(n)
    return Q, steps
