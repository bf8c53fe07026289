"""rl-05-1: behaviour cloning and DAgger. Edit this file; `grader check rl-05-1` tests it."""
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
    """The tabular learner: for every cell seen, the majority label of the observations in it
    (a tie goes to action 0).

    Raises:
        ValueError: observations and labels differ in length.
    """
    raise NotImplementedError("fit_table: count labels per cell, keep the majority")


def behaviour_cloning(env: gym.Env, episodes: int, seed: int) -> Table:
    """Run the expert for `episodes` episodes (run_episodes with seed), label every observation with
    expert_action, fit_table.

    Raises:
        ValueError: episodes < 1.
    """
    raise NotImplementedError("behaviour_cloning: supervised learning on the expert's own states")


def dagger(env: gym.Env, expert_episodes: int, iterations: int, seed: int) -> tuple[Table, list[int]]:
    """DAgger with a tabular learner.

    data = observations of `expert_episodes` expert episodes (run_episodes(env, expert_action,
    expert_episodes, seed)); table = fit_table(data, expert labels); sizes = [len(data)]. Then for
    i in range(iterations): run ONE episode of the current learner (act(table, .)) with seed
    seed + 100 + i, append its observations to data (aggregate, never discard), relabel all with
    expert_action, refit, and append len(data) to sizes. Returns (table, sizes).

    Raises:
        ValueError: expert_episodes < 1 or iterations < 0.
    """
    raise NotImplementedError("dagger: let the learner drive, the expert label, aggregate, refit")
