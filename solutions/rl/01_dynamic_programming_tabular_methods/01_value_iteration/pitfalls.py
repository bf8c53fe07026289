"""Plausible wrong versions of the dynamic-programming pieces that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from dynamic_programming import Transitions, _check_gamma, expected_backup


@pitfall(replaces="expected_backup", why="bootstraps from the next state even on a terminating transition")
def bootstraps_terminal(P: Transitions, V: np.ndarray, gamma: float) -> np.ndarray:
    Q = np.zeros((len(P), len(P[0])))
    for s in range(len(P)):
        for a in range(len(P[0])):
            for p, s_next, r, _terminated in P[s][a]:
                Q[s, a] += p * (r + gamma * V[s_next])
    return Q


@pitfall(replaces="expected_backup", why="discounts the immediate reward too: gamma * (r + V(s'))")
def discounts_reward(P: Transitions, V: np.ndarray, gamma: float) -> np.ndarray:
    Q = np.zeros((len(P), len(P[0])))
    for s in range(len(P)):
        for a in range(len(P[0])):
            for p, s_next, r, terminated in P[s][a]:
                Q[s, a] += p * gamma * (r + (0.0 if terminated else V[s_next]))
    return Q


@pitfall(replaces="expected_backup", why="averages the outcomes instead of weighting them by their probability")
def unweighted_outcomes(P: Transitions, V: np.ndarray, gamma: float) -> np.ndarray:
    Q = np.zeros((len(P), len(P[0])))
    for s in range(len(P)):
        for a in range(len(P[0])):
            outcomes = P[s][a]
            for _p, s_next, r, terminated in outcomes:
                Q[s, a] += (r + (0.0 if terminated else gamma * V[s_next])) / len(outcomes)
    return Q


@pitfall(replaces="policy_evaluation", why="in-place (Gauss-Seidel) sweeps instead of the synchronous sweeps promised")
def in_place_sweeps(P: Transitions, policy: np.ndarray, gamma: float, tol: float = 1e-10,
                    max_iter: int = 10_000) -> np.ndarray:
    _check_gamma(gamma, max_iter)
    policy = np.asarray(policy, dtype=np.float64)
    if policy.shape != (len(P), len(P[0])) or np.any(policy < 0) or not np.allclose(policy.sum(1), 1, atol=1e-8):
        raise ValueError("bad policy")
    V = np.zeros(len(P))
    for _ in range(max_iter):
        change = 0.0
        for s in range(len(P)):
            v = sum(policy[s, a] * p * (r + (0.0 if d else gamma * V[s2]))
                    for a in range(len(P[0])) for p, s2, r, d in P[s][a])
            change = max(change, abs(v - V[s]))
            V[s] = v
        if change < tol:
            break
    return V


@pitfall(replaces="policy_evaluation", why="follows the most likely action of a stochastic policy (argmax) instead of averaging")
def argmax_policy(P: Transitions, policy: np.ndarray, gamma: float, tol: float = 1e-10,
                  max_iter: int = 10_000) -> np.ndarray:
    _check_gamma(gamma, max_iter)
    policy = np.asarray(policy, dtype=np.float64)
    if policy.shape != (len(P), len(P[0])) or np.any(policy < 0) or not np.allclose(policy.sum(1), 1, atol=1e-8):
        raise ValueError("bad policy")
    V = np.zeros(len(P))
    act = policy.argmax(axis=1)
    for _ in range(max_iter):
        new = expected_backup(P, V, gamma)[np.arange(len(P)), act]
        change = np.abs(new - V).max()
        V = new
        if change < tol:
            break
    return V


@pitfall(replaces="value_iteration", why="returns the value from before the last sweep (one sweep behind)")
def one_sweep_behind(P: Transitions, gamma: float, tol: float = 1e-10,
                     max_iter: int = 10_000) -> tuple[np.ndarray, np.ndarray]:
    _check_gamma(gamma, max_iter)
    V = np.zeros(len(P))
    for _ in range(max_iter):
        new = expected_backup(P, V, gamma).max(axis=1)
        if np.abs(new - V).max() < tol:
            break
        V = new
    return V, np.argmax(expected_backup(P, V, gamma), axis=1)


@pitfall(replaces="value_iteration", why="stops on a relative change (or any test other than max |V_k - V_k-1| < tol)")
def relative_stop(P: Transitions, gamma: float, tol: float = 1e-10,
                  max_iter: int = 10_000) -> tuple[np.ndarray, np.ndarray]:
    _check_gamma(gamma, max_iter)
    V = np.zeros(len(P))
    for _ in range(max_iter):
        new = expected_backup(P, V, gamma).max(axis=1)
        change = np.abs(new - V).max() / max(np.abs(new).max(), 1e-300)
        V = new
        if change < tol:
            break
    return V, np.argmax(expected_backup(P, V, gamma), axis=1)


@pitfall(replaces="value_iteration", why="returns a policy that is greedy w.r.t. the wrong thing: argmin of Q")
def argmin_policy(P: Transitions, gamma: float, tol: float = 1e-10,
                  max_iter: int = 10_000) -> tuple[np.ndarray, np.ndarray]:
    _check_gamma(gamma, max_iter)
    V = np.zeros(len(P))
    for _ in range(max_iter):
        new = expected_backup(P, V, gamma).max(axis=1)
        change = np.abs(new - V).max()
        V = new
        if change < tol:
            break
    return V, np.argmin(expected_backup(P, V, gamma), axis=1)
