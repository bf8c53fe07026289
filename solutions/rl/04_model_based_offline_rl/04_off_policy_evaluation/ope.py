"""Reference solution for rl-04-4."""
from __future__ import annotations

import numpy as np

Episode = dict[str, np.ndarray]  # keys "states", "actions", "rewards", each (T,)


def _check_policy(pi: np.ndarray) -> None:
    if pi.ndim != 2 or np.any(pi < 0) or not np.allclose(pi.sum(1), 1.0, atol=1e-8):
        raise ValueError("a policy must be an (n_states, n_actions) matrix of probability rows")


def step_ratios(episode: Episode, pi_e: np.ndarray, pi_b: np.ndarray) -> np.ndarray:
    _check_policy(pi_e)
    _check_policy(pi_b)
    return _ratios(episode, pi_e, pi_b)


def _ratios(episode: Episode, pi_e: np.ndarray, pi_b: np.ndarray) -> np.ndarray:
    s, a = episode["states"], episode["actions"]
    b = pi_b[s, a]
    if np.any(b <= 0):
        raise ValueError("the behaviour policy gave probability 0 to an action it took")
    return pi_e[s, a] / b


def discounted_return(rewards: np.ndarray, gamma: float) -> float:
    return float(np.sum(gamma ** np.arange(len(rewards)) * rewards))


def is_estimate(episodes: list[Episode], pi_e: np.ndarray, pi_b: np.ndarray, gamma: float) -> float:
    _check_policy(pi_e)
    _check_policy(pi_b)
    vals = [np.prod(_ratios(ep, pi_e, pi_b)) * discounted_return(ep["rewards"], gamma) for ep in episodes]
    return float(np.mean(vals))


def wis_estimate(episodes: list[Episode], pi_e: np.ndarray, pi_b: np.ndarray, gamma: float) -> float:
    _check_policy(pi_e)
    _check_policy(pi_b)
    w = np.array([np.prod(_ratios(ep, pi_e, pi_b)) for ep in episodes])
    g = np.array([discounted_return(ep["rewards"], gamma) for ep in episodes])
    if w.sum() == 0:
        return 0.0
    return float((w * g).sum() / w.sum())


def dr_estimate(episodes: list[Episode], pi_e: np.ndarray, pi_b: np.ndarray, gamma: float,
                q_hat: np.ndarray) -> float:
    _check_policy(pi_e)
    _check_policy(pi_b)
    v_hat = (pi_e * q_hat).sum(1)
    vals = []
    for ep in episodes:
        rho = _ratios(ep, pi_e, pi_b)
        s, a, r = ep["states"], ep["actions"], ep["rewards"]
        v = 0.0
        for t in reversed(range(len(r))):
            v = v_hat[s[t]] + rho[t] * (r[t] + gamma * v - q_hat[s[t], a[t]])
        vals.append(v)
    return float(np.mean(vals))
