"""Reference solution for rl-05-4."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import gymnasium as gym
import numpy as np


@dataclass(frozen=True)
class Option:
    """A (Markov in (state, steps so far)) option: which primitive action to take, and when to stop (given).

    action(s, t): the primitive action at state s after t steps of the option (t = 0 first).
    stop(s, t): after t >= 1 steps, landing in s: does the option end here?
    """

    action: Callable[[int, int], int]
    stop: Callable[[int, int], bool]


def repeat(action: int, k: int) -> Option:
    """The option 'take `action` k times' (given); k = 1 is the primitive action itself."""
    return Option(lambda s, t: action, lambda s, t: t >= k)


def run_option(env: gym.Env, s: int, option: Option, gamma: float) -> tuple[int, float, int, bool, bool]:
    R, discount, t = 0.0, 1.0, 0
    while True:
        s, r, terminated, truncated, _ = env.step(option.action(s, t))
        R += discount * float(r)
        discount *= gamma
        t += 1
        if terminated or truncated or option.stop(s, t):
            return int(s), R, t, bool(terminated), bool(truncated)


def smdp_q_update(Q: np.ndarray, s: int, o: int, R: float, s_next: int, tau: int, terminated: bool, alpha: float,
                  gamma: float) -> float:
    target = R if terminated else R + gamma**tau * Q[s_next].max()
    delta = float(target - Q[s, o])
    Q[s, o] += alpha * delta
    return delta


def smdp_q_learning(env: gym.Env, options: list[Option], episodes: int, alpha: float, gamma: float, epsilon: float,
                    seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    Q = np.zeros((env.observation_space.n, len(options)))
    for episode in range(episodes):
        s, _ = env.reset(seed=seed if episode == 0 else None)
        while True:
            if rng.random() < epsilon:
                o = int(rng.integers(len(options)))
            else:
                best = np.flatnonzero(Q[s] == Q[s].max())
                o = int(best[rng.integers(len(best))])
            s_next, R, tau, terminated, truncated = run_option(env, int(s), options[o], gamma)
            smdp_q_update(Q, int(s), o, R, s_next, tau, terminated, alpha, gamma)
            if terminated or truncated:
                break
            s = s_next
    return Q
