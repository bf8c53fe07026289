"""Plausible wrong versions of the Q-learning pieces that the tests must reject."""
from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import gymnasium as gym
import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from q_learning import epsilon_greedy, q_learning_update


@pitfall(replaces="q_learning_update", why="bootstraps from the next state even when the episode terminated")
def bootstrap_terminal(Q: np.ndarray, s: int, a: int, r: float, s_next: int, terminated: bool,
                       alpha: float, gamma: float) -> float:
    delta = float(r + gamma * Q[s_next].max() - Q[s, a])
    Q[s, a] += alpha * delta
    return delta


@pitfall(replaces="q_learning_update", why="takes the max over Q[s] (current state) instead of Q[s_next]")
def max_over_current_state(Q: np.ndarray, s: int, a: int, r: float, s_next: int, terminated: bool,
                           alpha: float, gamma: float) -> float:
    target = r if terminated else r + gamma * Q[s].max()
    delta = float(target - Q[s, a])
    Q[s, a] += alpha * delta
    return delta


@pitfall(replaces="epsilon_greedy", why="breaks ties with np.argmax, so the first of equal actions always wins")
def argmax_first(q_row: np.ndarray, epsilon: float, rng: np.random.Generator) -> int:
    if rng.random() < epsilon:
        return int(rng.integers(len(q_row)))
    return int(np.argmax(q_row))


@pitfall(replaces="epsilon_greedy", why="comparison reversed: explores with probability 1 - epsilon")
def reversed_epsilon(q_row: np.ndarray, epsilon: float, rng: np.random.Generator) -> int:
    if rng.random() > epsilon:
        return int(rng.integers(len(q_row)))
    best = np.flatnonzero(q_row == q_row.max())
    return int(best[rng.integers(len(best))])


@pitfall(replaces="epsilon_greedy", why="explores only among the non-greedy actions")
def explores_only_non_greedy(q_row: np.ndarray, epsilon: float, rng: np.random.Generator) -> int:
    best = np.flatnonzero(q_row == q_row.max())
    others = np.flatnonzero(q_row != q_row.max())
    if others.size and rng.random() < epsilon:
        return int(others[rng.integers(len(others))])
    return int(best[rng.integers(len(best))])


@pitfall(replaces="q_learning", why="SARSA target: bootstraps from the epsilon-greedy next action, not the max")
def sarsa_target(env: gym.Env, episodes: int, alpha: float, gamma: float,
                 epsilon: float | Callable[[int], float], seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    Q = np.zeros((env.observation_space.n, env.action_space.n))
    schedule = epsilon if callable(epsilon) else (lambda _episode: epsilon)
    for episode in range(episodes):
        s, _ = env.reset(seed=seed if episode == 0 else None)
        eps = schedule(episode)
        a = epsilon_greedy(Q[s], eps, rng)
        while True:
            s_next, r, terminated, truncated, _ = env.step(a)
            a_next = epsilon_greedy(Q[s_next], eps, rng)
            target = r if terminated else r + gamma * Q[s_next, a_next]
            Q[s, a] += alpha * (target - Q[s, a])
            if terminated or truncated:
                break
            s, a = s_next, a_next
    return Q


@pitfall(replaces="q_learning", why="treats a time-limit truncation as a terminal state (no bootstrap)")
def truncation_is_terminal(env: gym.Env, episodes: int, alpha: float, gamma: float,
                           epsilon: float | Callable[[int], float], seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    Q = np.zeros((env.observation_space.n, env.action_space.n))
    schedule = epsilon if callable(epsilon) else (lambda _episode: epsilon)
    for episode in range(episodes):
        s, _ = env.reset(seed=seed if episode == 0 else None)
        eps = schedule(episode)
        done = False
        while not done:
            a = epsilon_greedy(Q[s], eps, rng)
            s_next, r, terminated, truncated, _ = env.step(a)
            done = terminated or truncated
            q_learning_update(Q, s, a, float(r), s_next, done, alpha, gamma)
            s = s_next
    return Q


@pitfall(replaces="q_learning", why="np.random.default_rng() without the seed: two runs with the same seed act differently")
def unseeded_rng(env: gym.Env, episodes: int, alpha: float, gamma: float,
                 epsilon: float | Callable[[int], float], seed: int) -> np.ndarray:
    rng = np.random.default_rng()
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


@pitfall(replaces="q_learning", why="never seeds the environment (env.reset() every episode): slippery moves are not reproducible")
def unseeded_env(env: gym.Env, episodes: int, alpha: float, gamma: float,
                 epsilon: float | Callable[[int], float], seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    Q = np.zeros((env.observation_space.n, env.action_space.n))
    schedule = epsilon if callable(epsilon) else (lambda _episode: epsilon)
    for episode in range(episodes):
        s, _ = env.reset()
        eps = schedule(episode)
        while True:
            a = epsilon_greedy(Q[s], eps, rng)
            s_next, r, terminated, truncated, _ = env.step(a)
            q_learning_update(Q, s, a, float(r), s_next, terminated, alpha, gamma)
            if terminated or truncated:
                break
            s = s_next
    return Q
