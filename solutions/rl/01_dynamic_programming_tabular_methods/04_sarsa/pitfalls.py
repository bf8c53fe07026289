"""Plausible wrong versions of SARSA that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import gymnasium as gym
import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from sarsa import epsilon_greedy, sarsa_update


@pitfall(replaces="sarsa_update", why="Q-learning target: max over Q[s_next] instead of the action actually taken next")
def max_target(Q: np.ndarray, s: int, a: int, r: float, s_next: int, a_next: int, terminated: bool,
               alpha: float, gamma: float) -> float:
    target = r if terminated else r + gamma * Q[s_next].max()
    delta = float(target - Q[s, a])
    Q[s, a] += alpha * delta
    return delta


@pitfall(replaces="sarsa_update", why="bootstraps from Q[s_next, a_next] even when the episode terminated")
def bootstrap_terminal(Q: np.ndarray, s: int, a: int, r: float, s_next: int, a_next: int, terminated: bool,
                       alpha: float, gamma: float) -> float:
    delta = float(r + gamma * Q[s_next, a_next] - Q[s, a])
    Q[s, a] += alpha * delta
    return delta


@pitfall(replaces="sarsa", why="acts with a freshly drawn action instead of the a_next it bootstrapped from")
def redraws_action(env: gym.Env, episodes: int, alpha: float, gamma: float, epsilon: float,
                   seed: int) -> tuple[np.ndarray, list[float]]:
    rng = np.random.default_rng(seed)
    Q = np.zeros((env.observation_space.n, env.action_space.n))
    returns = []
    for episode in range(episodes):
        s, _ = env.reset(seed=seed if episode == 0 else None)
        total = 0.0
        while True:
            a = epsilon_greedy(Q[s], epsilon, rng)
            s_next, r, terminated, truncated, _ = env.step(a)
            total += float(r)
            a_next = epsilon_greedy(Q[s_next], epsilon, rng)
            sarsa_update(Q, s, a, float(r), s_next, a_next, terminated, alpha, gamma)
            if terminated or truncated:
                break
            s = s_next
        returns.append(total)
    return Q, returns


@pitfall(replaces="sarsa", why="treats a time-limit truncation as terminal (no bootstrap)")
def truncation_is_terminal(env: gym.Env, episodes: int, alpha: float, gamma: float, epsilon: float,
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
            sarsa_update(Q, s, a, float(r), s_next, a_next, terminated or truncated, alpha, gamma)
            if terminated or truncated:
                break
            s, a = s_next, a_next
        returns.append(total)
    return Q, returns


@pitfall(replaces="sarsa", why="reseeds the environment at every reset, so every episode replays the same randomness")
def reseeds_every_episode(env: gym.Env, episodes: int, alpha: float, gamma: float, epsilon: float,
                          seed: int) -> tuple[np.ndarray, list[float]]:
    rng = np.random.default_rng(seed)
    Q = np.zeros((env.observation_space.n, env.action_space.n))
    returns = []
    for _episode in range(episodes):
        s, _ = env.reset(seed=seed)
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


@pitfall(replaces="sarsa", why="records the discounted return instead of the plain sum of rewards")
def discounted_returns(env: gym.Env, episodes: int, alpha: float, gamma: float, epsilon: float,
                       seed: int) -> tuple[np.ndarray, list[float]]:
    rng = np.random.default_rng(seed)
    Q = np.zeros((env.observation_space.n, env.action_space.n))
    returns = []
    for episode in range(episodes):
        s, _ = env.reset(seed=seed if episode == 0 else None)
        a = epsilon_greedy(Q[s], epsilon, rng)
        total, discount = 0.0, 1.0
        while True:
            s_next, r, terminated, truncated, _ = env.step(a)
            total += discount * float(r)
            discount *= gamma
            a_next = epsilon_greedy(Q[s_next], epsilon, rng)
            sarsa_update(Q, s, a, float(r), s_next, a_next, terminated, alpha, gamma)
            if terminated or truncated:
                break
            s, a = s_next, a_next
        returns.append(total)
    return Q, returns
