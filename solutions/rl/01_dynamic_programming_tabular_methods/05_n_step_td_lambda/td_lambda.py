"""Reference solution for rl-01-5."""
from __future__ import annotations

import numpy as np


def _check(rewards: np.ndarray, values: np.ndarray, gamma: float, lam: float = 0.0) -> None:
    if values.shape != (len(rewards) + 1,):
        raise ValueError(f"values must have length len(rewards) + 1 = {len(rewards) + 1}, got {values.shape}")
    if not 0.0 <= gamma <= 1.0 or not 0.0 <= lam <= 1.0:
        raise ValueError(f"gamma and lam must be in [0, 1], got {gamma}, {lam}")


def n_step_returns(rewards: np.ndarray, values: np.ndarray, gamma: float, n: int) -> np.ndarray:
    rewards, values = np.asarray(rewards, dtype=np.float64), np.asarray(values, dtype=np.float64)
    _check(rewards, values, gamma)
    if n < 1:
        raise ValueError(f"n must be at least 1, got {n}")
    T = len(rewards)
    G = np.empty(T)
    for t in range(T):
        m = min(n, T - t)
        G[t] = sum(gamma**k * rewards[t + k] for k in range(m)) + gamma**m * values[t + m]
    return G


def lambda_returns(rewards: np.ndarray, values: np.ndarray, gamma: float, lam: float) -> np.ndarray:
    rewards, values = np.asarray(rewards, dtype=np.float64), np.asarray(values, dtype=np.float64)
    _check(rewards, values, gamma, lam)
    T = len(rewards)
    G = np.empty(T)
    nxt = values[T]
    for t in reversed(range(T)):
        nxt = rewards[t] + gamma * ((1 - lam) * values[t + 1] + lam * nxt)
        G[t] = nxt
    return G


def td_lambda_episode(V: np.ndarray, states: np.ndarray, rewards: np.ndarray, terminated: bool,
                      alpha: float, gamma: float, lam: float) -> np.ndarray:
    V = np.asarray(V, dtype=np.float64)
    states, rewards = np.asarray(states), np.asarray(rewards, dtype=np.float64)
    if states.shape != (len(rewards) + 1,):
        raise ValueError("states must have length len(rewards) + 1")
    if not 0.0 <= gamma <= 1.0 or not 0.0 <= lam <= 1.0:
        raise ValueError("gamma and lam must be in [0, 1]")
    T = len(rewards)
    trace = np.zeros_like(V)
    delta_total = np.zeros_like(V)
    for t in range(T):
        bootstrap = 0.0 if (terminated and t == T - 1) else V[states[t + 1]]
        delta = rewards[t] + gamma * bootstrap - V[states[t]]
        trace *= gamma * lam
        trace[states[t]] += 1.0
        delta_total += alpha * delta * trace
    return V + delta_total
