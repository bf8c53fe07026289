"""Plausible wrong SMDP Q-learning pieces that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import gymnasium as gym
import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from options import Option


@pitfall(replaces="smdp_q_update", why="discounts the bootstrap by gamma, not gamma**tau (ignores the option's duration)")
def gamma_once(Q: np.ndarray, s: int, o: int, R: float, s_next: int, tau: int, terminated: bool, alpha: float,
               gamma: float) -> float:
    target = R if terminated else R + gamma * Q[s_next].max()
    delta = float(target - Q[s, o])
    Q[s, o] += alpha * delta
    return delta


@pitfall(replaces="smdp_q_update", why="bootstraps even when the episode terminated inside the option")
def bootstraps_terminal(Q: np.ndarray, s: int, o: int, R: float, s_next: int, tau: int, terminated: bool,
                        alpha: float, gamma: float) -> float:
    delta = float(R + gamma**tau * Q[s_next].max() - Q[s, o])
    Q[s, o] += alpha * delta
    return delta


@pitfall(replaces="run_option", why="sums the option's rewards undiscounted")
def undiscounted_rewards(env: gym.Env, s: int, option: Option, gamma: float) -> tuple[int, float, int, bool, bool]:
    R, t = 0.0, 0
    while True:
        s, r, terminated, truncated, _ = env.step(option.action(s, t))
        R += float(r)
        t += 1
        if terminated or truncated or option.stop(s, t):
            return int(s), R, t, bool(terminated), bool(truncated)


@pitfall(replaces="run_option", why="checks the stop condition before the first step (an option of length 0 or off by one)")
def stop_checked_first(env: gym.Env, s: int, option: Option, gamma: float) -> tuple[int, float, int, bool, bool]:
    R, discount, t = 0.0, 1.0, 0
    terminated = truncated = False
    while True:
        s, r, terminated, truncated, _ = env.step(option.action(s, t))
        R += discount * float(r)
        discount *= gamma
        t += 1
        if terminated or truncated or option.stop(s, t + 1):
            return int(s), R, t, bool(terminated), bool(truncated)
