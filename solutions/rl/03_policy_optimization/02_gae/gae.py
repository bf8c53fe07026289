"""Reference solution for rl-03-2."""
from __future__ import annotations

import numpy as np


def gae(rewards: np.ndarray, values: np.ndarray, terminated: np.ndarray, last_value: np.ndarray | float,
        gamma: float, lam: float) -> tuple[np.ndarray, np.ndarray]:
    rewards, values = np.asarray(rewards), np.asarray(values)
    terminated = np.asarray(terminated)
    if rewards.shape != values.shape or rewards.shape != terminated.shape or rewards.ndim not in (1, 2):
        raise ValueError("rewards, values and terminated must share a shape (T,) or (T, N)")
    last_value = np.broadcast_to(np.asarray(last_value, dtype=values.dtype), rewards.shape[1:])
    if not 0.0 <= gamma <= 1.0 or not 0.0 <= lam <= 1.0:
        raise ValueError("gamma and lam must be in [0, 1]")
    T = rewards.shape[0]
    adv = np.zeros_like(values)
    next_adv = np.zeros(rewards.shape[1:], dtype=values.dtype)
    for t in reversed(range(T)):
        next_value = last_value if t == T - 1 else values[t + 1]
        alive = 1.0 - terminated[t].astype(values.dtype)
        delta = rewards[t] + gamma * next_value * alive - values[t]
        next_adv = delta + gamma * lam * alive * next_adv
        adv[t] = next_adv
    return adv, adv + values
