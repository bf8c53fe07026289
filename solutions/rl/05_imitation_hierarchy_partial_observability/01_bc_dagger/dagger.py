"""Reference solution for rl-05-1."""
from __future__ import annotations

from collections.abc import Callable

import gymnasium as gym
import numpy as np

EXPERT_WEIGHTS = np.array([0.1, 0.5, 10.0, 2.0])  # cart position, cart velocity, pole angle, pole angular velocity
EDGES = [np.linspace(-2.4, 2.4, 7), np.linspace(-3, 3, 7), np.linspace(-0.21, 0.21, 9), np.linspace(-3, 3, 9)]
Table = dict[tuple[int, ...], int]


def expert_action(obs: np.ndarray) -> int:
    """The expert: a linear CartPole controller that balances for the whole episode (given)."""
    return int(np.asarray(obs, dtype=np.float64) @ EXPERT_WEIGHTS > 0)


def cell(obs: np.ndarray) -> tuple[int, ...]:
    """The learner's view of an observation: its bin along each of the 4 dimensions (given)."""
    return tuple(int(np.searchsorted(e, v)) for e, v in zip(EDGES, obs, strict=True))


def act(table: Table, obs: np.ndarray) -> int:
    """The tabular learner's action: the table's entry for the observation's cell, 0 if unseen (given)."""
    return table.get(cell(obs), 0)


def run_episodes(env: gym.Env, policy: Callable[[np.ndarray], int], episodes: int,
                 seed: int) -> tuple[list[np.ndarray], list[float]]:
    """Observations seen before each action, and episode returns; episode i resets with seed + i (given)."""
    observations, returns = [], []
    for i in range(episodes):
        obs, _ = env.reset(seed=seed + i)
        total = 0.0
        while True:
            observations.append(obs)
            obs, r, terminated, truncated, _ = env.step(policy(obs))
            total += float(r)
            if terminated or truncated:
                break
        returns.append(total)
    return observations, returns


def fit_table(observations: list[np.ndarray], labels: list[int]) -> Table:
    if len(observations) != len(labels):
        raise ValueError("observations and labels must have the same length")
    counts: dict[tuple[int, ...], list[int]] = {}
    for obs, a in zip(observations, labels, strict=True):
        counts.setdefault(cell(obs), [0, 0])[a] += 1
    return {c: int(np.argmax(n)) for c, n in counts.items()}


def behaviour_cloning(env: gym.Env, episodes: int, seed: int) -> Table:
    if episodes < 1:
        raise ValueError("episodes must be at least 1")
    observations, _ = run_episodes(env, expert_action, episodes, seed)
    return fit_table(observations, [expert_action(o) for o in observations])


def dagger(env: gym.Env, expert_episodes: int, iterations: int, seed: int) -> tuple[Table, list[int]]:
    if expert_episodes < 1 or iterations < 0:
        raise ValueError("need expert_episodes >= 1 and iterations >= 0")
    data, _ = run_episodes(env, expert_action, expert_episodes, seed)
    table = fit_table(data, [expert_action(o) for o in data])
    sizes = [len(data)]
    for i in range(iterations):
        visited, _ = run_episodes(env, lambda o, t=table: act(t, o), 1, seed + 100 + i)
        data = data + visited
        table = fit_table(data, [expert_action(o) for o in data])
        sizes.append(len(data))
    return table, sizes
