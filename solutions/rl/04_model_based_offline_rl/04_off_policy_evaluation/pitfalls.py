"""Plausible wrong off-policy estimators that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from ope import Episode, _check_policy, discounted_return, step_ratios


@pitfall(replaces="step_ratios", why="ratio inverted: pi_b / pi_e")
def inverted(episode: Episode, pi_e: np.ndarray, pi_b: np.ndarray) -> np.ndarray:
    _check_policy(pi_e)
    _check_policy(pi_b)
    s, a = episode["states"], episode["actions"]
    if np.any(pi_b[s, a] <= 0):
        raise ValueError("zero")
    return pi_b[s, a] / np.maximum(pi_e[s, a], 1e-300)


@pitfall(replaces="is_estimate", why="weights the return by the last step's ratio only, not the product over the episode")
def last_ratio_only(episodes: list[Episode], pi_e: np.ndarray, pi_b: np.ndarray, gamma: float) -> float:
    return float(np.mean([step_ratios(ep, pi_e, pi_b)[-1] * discounted_return(ep["rewards"], gamma)
                          for ep in episodes]))


@pitfall(replaces="wis_estimate", why="normalises by the number of episodes (that is ordinary IS)")
def normalised_by_count(episodes: list[Episode], pi_e: np.ndarray, pi_b: np.ndarray, gamma: float) -> float:
    return float(np.mean([np.prod(step_ratios(ep, pi_e, pi_b)) * discounted_return(ep["rewards"], gamma)
                          for ep in episodes]))


@pitfall(replaces="discounted_return", why="undiscounted sum of rewards")
def undiscounted(rewards: np.ndarray, gamma: float) -> float:
    return float(np.sum(rewards))


@pitfall(replaces="dr_estimate", why="forgets the V-hat control variate term (adds only the weighted correction)")
def no_v_hat(episodes: list[Episode], pi_e: np.ndarray, pi_b: np.ndarray, gamma: float, q_hat: np.ndarray) -> float:
    vals = []
    for ep in episodes:
        rho = step_ratios(ep, pi_e, pi_b)
        s, a, r = ep["states"], ep["actions"], ep["rewards"]
        v = 0.0
        for t in reversed(range(len(r))):
            v = rho[t] * (r[t] + gamma * v - q_hat[s[t], a[t]])
        vals.append(v)
    return float(np.mean(vals))


@pitfall(replaces="dr_estimate", why="the importance ratio multiplies V-hat too: rho (V + r + gamma v - Q)")
def ratio_on_everything(episodes: list[Episode], pi_e: np.ndarray, pi_b: np.ndarray, gamma: float,
                        q_hat: np.ndarray) -> float:
    v_hat = (pi_e * q_hat).sum(1)
    vals = []
    for ep in episodes:
        rho = step_ratios(ep, pi_e, pi_b)
        s, a, r = ep["states"], ep["actions"], ep["rewards"]
        v = 0.0
        for t in reversed(range(len(r))):
            v = rho[t] * (v_hat[s[t]] + r[t] + gamma * v - q_hat[s[t], a[t]])
        vals.append(v)
    return float(np.mean(vals))
