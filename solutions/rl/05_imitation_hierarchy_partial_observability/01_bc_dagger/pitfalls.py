"""Plausible wrong BC / DAgger implementations that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import gymnasium as gym
import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from dagger import Table, act, cell, expert_action, fit_table, run_episodes


@pitfall(replaces="fit_table", why="keeps the last label seen in a cell instead of the majority")
def last_label(observations: list[np.ndarray], labels: list[int]) -> Table:
    if len(observations) != len(labels):
        raise ValueError("lengths")
    return {cell(o): int(a) for o, a in zip(observations, labels, strict=True)}


@pitfall(replaces="dagger", why="labels the learner's states with the LEARNER's own actions (no expert queries)")
def self_labels(env: gym.Env, expert_episodes: int, iterations: int, seed: int) -> tuple[Table, list[int]]:
    if expert_episodes < 1 or iterations < 0:
        raise ValueError("bad")
    data, _ = run_episodes(env, expert_action, expert_episodes, seed)
    labels = [expert_action(o) for o in data]
    table = fit_table(data, labels)
    sizes = [len(data)]
    for i in range(iterations):
        visited, _ = run_episodes(env, lambda o, t=table: act(t, o), 1, seed + 100 + i)
        labels = labels + [act(table, o) for o in visited]
        data = data + visited
        table = fit_table(data, labels)
        sizes.append(len(data))
    return table, sizes


@pitfall(replaces="dagger", why="replaces the data set with the newest episode instead of aggregating")
def no_aggregation(env: gym.Env, expert_episodes: int, iterations: int, seed: int) -> tuple[Table, list[int]]:
    if expert_episodes < 1 or iterations < 0:
        raise ValueError("bad")
    data, _ = run_episodes(env, expert_action, expert_episodes, seed)
    table = fit_table(data, [expert_action(o) for o in data])
    sizes = [len(data)]
    for i in range(iterations):
        data, _ = run_episodes(env, lambda o, t=table: act(t, o), 1, seed + 100 + i)
        table = fit_table(data, [expert_action(o) for o in data])
        sizes.append(len(data))
    return table, sizes


@pitfall(replaces="dagger", why="rolls out the expert again each iteration (that is just more behaviour cloning)")
def expert_rollouts(env: gym.Env, expert_episodes: int, iterations: int, seed: int) -> tuple[Table, list[int]]:
    if expert_episodes < 1 or iterations < 0:
        raise ValueError("bad")
    data, _ = run_episodes(env, expert_action, expert_episodes, seed)
    table = fit_table(data, [expert_action(o) for o in data])
    sizes = [len(data)]
    for i in range(iterations):
        visited, _ = run_episodes(env, expert_action, 1, seed + 100 + i)
        data = data + visited
        table = fit_table(data, [expert_action(o) for o in data])
        sizes.append(len(data))
    return table, sizes
