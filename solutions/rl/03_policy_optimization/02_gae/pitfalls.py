"""Plausible wrong GAE implementations that the tests must reject."""
from __future__ import annotations

import numpy as np

from grader.pitfalls import pitfall


def _prep(rewards: np.ndarray, values: np.ndarray, terminated: np.ndarray, last_value: np.ndarray | float,
          gamma: float, lam: float) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    rewards, values, terminated = np.asarray(rewards), np.asarray(values), np.asarray(terminated)
    if rewards.shape != values.shape or rewards.shape != terminated.shape or rewards.ndim not in (1, 2):
        raise ValueError("shapes")
    if not 0.0 <= gamma <= 1.0 or not 0.0 <= lam <= 1.0:
        raise ValueError("gamma/lam")
    return rewards, values, terminated, np.broadcast_to(np.asarray(last_value, dtype=values.dtype), rewards.shape[1:])


def _gae(rewards: np.ndarray, values: np.ndarray, terminated: np.ndarray, last_value: np.ndarray | float,
         gamma: float, lam: float, mask_value: bool = True, cut_trace: bool = True, use_last: bool = True,
         decay: str = "gl", shift_done: bool = False) -> np.ndarray:
    rewards, values, terminated, last_value = _prep(rewards, values, terminated, last_value, gamma, lam)
    T = rewards.shape[0]
    adv = np.zeros_like(values)
    nxt = np.zeros(rewards.shape[1:], dtype=values.dtype)
    for t in reversed(range(T)):
        nv = (last_value if use_last else values[0]) if t == T - 1 else values[t + 1]
        d = terminated[t + 1] if shift_done and t + 1 < T else terminated[t]
        alive = 1.0 - d.astype(values.dtype)
        delta = rewards[t] + gamma * nv * (alive if mask_value else 1.0) - values[t]
        k = gamma * lam if decay == "gl" else gamma
        nxt = delta + k * (alive if cut_trace else 1.0) * nxt
        adv[t] = nxt
    return adv


@pitfall(replaces="gae", why="bootstraps from the next state's value across a termination")
def no_value_mask(rewards: np.ndarray, values: np.ndarray, terminated: np.ndarray, last_value: np.ndarray | float,
                  gamma: float, lam: float) -> tuple[np.ndarray, np.ndarray]:
    adv = _gae(rewards, values, terminated, last_value, gamma, lam, mask_value=False)
    return adv, adv + np.asarray(values)


@pitfall(replaces="gae", why="carries the advantage of the next episode back across the boundary")
def trace_not_cut(rewards: np.ndarray, values: np.ndarray, terminated: np.ndarray, last_value: np.ndarray | float,
                  gamma: float, lam: float) -> tuple[np.ndarray, np.ndarray]:
    adv = _gae(rewards, values, terminated, last_value, gamma, lam, cut_trace=False)
    return adv, adv + np.asarray(values)


@pitfall(replaces="gae", why="ignores last_value: the final step bootstraps from values[0] (np.roll-style wrap-around)")
def wraps_around(rewards: np.ndarray, values: np.ndarray, terminated: np.ndarray, last_value: np.ndarray | float,
                 gamma: float, lam: float) -> tuple[np.ndarray, np.ndarray]:
    adv = _gae(rewards, values, terminated, last_value, gamma, lam, use_last=False)
    return adv, adv + np.asarray(values)


@pitfall(replaces="gae", why="decays the trace by gamma only (lambda ignored)")
def lambda_ignored(rewards: np.ndarray, values: np.ndarray, terminated: np.ndarray, last_value: np.ndarray | float,
                   gamma: float, lam: float) -> tuple[np.ndarray, np.ndarray]:
    adv = _gae(rewards, values, terminated, last_value, gamma, lam, decay="g")
    return adv, adv + np.asarray(values)


@pitfall(replaces="gae", why="uses the next step's terminated flag (off by one)")
def done_off_by_one(rewards: np.ndarray, values: np.ndarray, terminated: np.ndarray, last_value: np.ndarray | float,
                    gamma: float, lam: float) -> tuple[np.ndarray, np.ndarray]:
    adv = _gae(rewards, values, terminated, last_value, gamma, lam, shift_done=True)
    return adv, adv + np.asarray(values)


@pitfall(replaces="gae", why="returns the advantages as the value targets (forgets + V)")
def returns_are_advantages(rewards: np.ndarray, values: np.ndarray, terminated: np.ndarray,
                           last_value: np.ndarray | float, gamma: float, lam: float) -> tuple[np.ndarray, np.ndarray]:
    adv = _gae(rewards, values, terminated, last_value, gamma, lam)
    return adv, adv.copy()


@pitfall(replaces="gae", why="computes in float64 whatever the input dtype")
def upcasts(rewards: np.ndarray, values: np.ndarray, terminated: np.ndarray, last_value: np.ndarray | float,
            gamma: float, lam: float) -> tuple[np.ndarray, np.ndarray]:
    v64 = np.asarray(values, dtype=np.float64)
    adv = _gae(np.asarray(rewards, dtype=np.float64), v64, terminated, last_value, gamma, lam)
    return adv, adv + v64
