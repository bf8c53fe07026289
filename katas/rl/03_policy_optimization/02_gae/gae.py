"""rl-03-2: Generalized Advantage Estimation. Edit this file; `grader check rl-03-2` tests it."""
from __future__ import annotations

import numpy as np


def gae(rewards: np.ndarray, values: np.ndarray, terminated: np.ndarray, last_value: np.ndarray | float,
        gamma: float, lam: float) -> tuple[np.ndarray, np.ndarray]:
    """GAE(gamma, lambda) advantages and value targets of a rollout that may span several episodes.

    Step t went from s_t (value values[t]) with reward rewards[t]; terminated[t] says the episode
    ended at that step (no next state: its value counts as 0 and the sum stops there). The state
    after the last step has value last_value (the rollout was cut, not terminated, unless
    terminated[-1]).

        delta_t = r_t + gamma * V_{t+1} * (1 - terminated_t) - V_t,    V_T = last_value
        A_t     = delta_t + gamma * lam * (1 - terminated_t) * A_{t+1},  A_T = 0
        returns = A + values

    A (T, N) rollout is N parallel environments (columns), each independent; last_value is then
    (N,) or a scalar. Inputs are not modified; results have values' dtype.

    Raises:
        ValueError: rewards, values, terminated not of one shape (T,) or (T, N); gamma or lam outside [0, 1].

    Shapes:
        rewards, values, terminated: (T,) or (T, N); last_value: scalar or (N,)
        returns: (advantages, returns), each like values
    """
    raise NotImplementedError("gae: one backward pass, A_t = delta_t + gamma * lam * (1 - done_t) * A_{t+1}")
