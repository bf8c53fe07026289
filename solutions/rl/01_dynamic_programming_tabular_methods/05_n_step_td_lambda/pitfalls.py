"""Plausible wrong versions of n-step returns and TD(lambda) that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from td_lambda import _check


@pitfall(replaces="n_step_returns", why="discounts the bootstrap value by gamma**(m-1) instead of gamma**m")
def bootstrap_one_discount_short(rewards: np.ndarray, values: np.ndarray, gamma: float, n: int) -> np.ndarray:
    rewards, values = np.asarray(rewards, dtype=np.float64), np.asarray(values, dtype=np.float64)
    _check(rewards, values, gamma)
    if n < 1:
        raise ValueError("n")
    T = len(rewards)
    return np.array([sum(gamma**k * rewards[t + k] for k in range(min(n, T - t)))
                     + gamma ** (min(n, T - t) - 1) * values[t + min(n, T - t)] for t in range(T)])


@pitfall(replaces="n_step_returns", why="near the end, discounts the final bootstrap by gamma**n, not gamma**(T-t)")
def gamma_n_at_the_end(rewards: np.ndarray, values: np.ndarray, gamma: float, n: int) -> np.ndarray:
    rewards, values = np.asarray(rewards, dtype=np.float64), np.asarray(values, dtype=np.float64)
    _check(rewards, values, gamma)
    if n < 1:
        raise ValueError("n")
    T = len(rewards)
    return np.array([sum(gamma**k * rewards[t + k] for k in range(min(n, T - t)))
                     + gamma**n * values[t + min(n, T - t)] for t in range(T)])


@pitfall(replaces="lambda_returns", why="forgets the (1 - lambda) weight on the one-step bootstrap")
def missing_one_minus_lambda(rewards: np.ndarray, values: np.ndarray, gamma: float, lam: float) -> np.ndarray:
    rewards, values = np.asarray(rewards, dtype=np.float64), np.asarray(values, dtype=np.float64)
    _check(rewards, values, gamma, lam)
    T = len(rewards)
    G, nxt = np.empty(T), values[T]
    for t in reversed(range(T)):
        nxt = rewards[t] + gamma * (values[t + 1] + lam * nxt) if t < T - 1 else rewards[t] + gamma * values[T]
        G[t] = nxt
    return G


@pitfall(replaces="lambda_returns", why="mixes in V(s_t) instead of V(s_t+1)")
def wrong_value_index(rewards: np.ndarray, values: np.ndarray, gamma: float, lam: float) -> np.ndarray:
    rewards, values = np.asarray(rewards, dtype=np.float64), np.asarray(values, dtype=np.float64)
    _check(rewards, values, gamma, lam)
    T = len(rewards)
    G, nxt = np.empty(T), values[T]
    for t in reversed(range(T)):
        nxt = rewards[t] + gamma * ((1 - lam) * values[t] + lam * nxt)
        G[t] = nxt
    return G


@pitfall(replaces="td_lambda_episode", why="replacing traces (e[s] = 1) instead of accumulating (e[s] += 1)")
def replacing_traces(V: np.ndarray, states: np.ndarray, rewards: np.ndarray, terminated: bool,
                     alpha: float, gamma: float, lam: float) -> np.ndarray:
    V, states, rewards = np.asarray(V, dtype=np.float64), np.asarray(states), np.asarray(rewards, dtype=np.float64)
    if states.shape != (len(rewards) + 1,) or not (0 <= gamma <= 1 and 0 <= lam <= 1):
        raise ValueError("bad input")
    T, trace, total = len(rewards), np.zeros_like(V), np.zeros_like(V)
    for t in range(T):
        boot = 0.0 if (terminated and t == T - 1) else V[states[t + 1]]
        delta = rewards[t] + gamma * boot - V[states[t]]
        trace *= gamma * lam
        trace[states[t]] = 1.0
        total += alpha * delta * trace
    return V + total


@pitfall(replaces="td_lambda_episode", why="decays the trace after adding the current state (its own delta is discounted)")
def decay_after_increment(V: np.ndarray, states: np.ndarray, rewards: np.ndarray, terminated: bool,
                          alpha: float, gamma: float, lam: float) -> np.ndarray:
    V, states, rewards = np.asarray(V, dtype=np.float64), np.asarray(states), np.asarray(rewards, dtype=np.float64)
    if states.shape != (len(rewards) + 1,) or not (0 <= gamma <= 1 and 0 <= lam <= 1):
        raise ValueError("bad input")
    T, trace, total = len(rewards), np.zeros_like(V), np.zeros_like(V)
    for t in range(T):
        boot = 0.0 if (terminated and t == T - 1) else V[states[t + 1]]
        delta = rewards[t] + gamma * boot - V[states[t]]
        trace[states[t]] += 1.0
        trace *= gamma * lam
        total += alpha * delta * trace
    return V + total


@pitfall(replaces="td_lambda_episode", why="online updates: V changes during the episode (not the offline update promised)")
def online_updates(V: np.ndarray, states: np.ndarray, rewards: np.ndarray, terminated: bool,
                   alpha: float, gamma: float, lam: float) -> np.ndarray:
    V, states, rewards = np.array(V, dtype=np.float64), np.asarray(states), np.asarray(rewards, dtype=np.float64)
    if states.shape != (len(rewards) + 1,) or not (0 <= gamma <= 1 and 0 <= lam <= 1):
        raise ValueError("bad input")
    T, trace = len(rewards), np.zeros_like(V)
    for t in range(T):
        boot = 0.0 if (terminated and t == T - 1) else V[states[t + 1]]
        delta = rewards[t] + gamma * boot - V[states[t]]
        trace *= gamma * lam
        trace[states[t]] += 1.0
        V += alpha * delta * trace
    return V


@pitfall(replaces="td_lambda_episode", why="bootstraps from V[s_T] even when the episode terminated")
def bootstraps_terminal(V: np.ndarray, states: np.ndarray, rewards: np.ndarray, terminated: bool,
                        alpha: float, gamma: float, lam: float) -> np.ndarray:
    V, states, rewards = np.asarray(V, dtype=np.float64), np.asarray(states), np.asarray(rewards, dtype=np.float64)
    if states.shape != (len(rewards) + 1,) or not (0 <= gamma <= 1 and 0 <= lam <= 1):
        raise ValueError("bad input")
    T, trace, total = len(rewards), np.zeros_like(V), np.zeros_like(V)
    for t in range(T):
        delta = rewards[t] + gamma * V[states[t + 1]] - V[states[t]]
        trace *= gamma * lam
        trace[states[t]] += 1.0
        total += alpha * delta * trace
    return V + total
