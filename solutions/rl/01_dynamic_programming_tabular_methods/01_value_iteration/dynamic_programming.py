"""Reference solution for rl-01-1."""
from __future__ import annotations

import numpy as np

Transitions = dict[int, dict[int, list[tuple[float, int, float, bool]]]]


def _check_gamma(gamma: float, max_iter: int) -> None:
    if not 0.0 <= gamma < 1.0:
        raise ValueError(f"gamma must be in [0, 1), got {gamma}")
    if max_iter < 1:
        raise ValueError(f"max_iter must be at least 1, got {max_iter}")


def expected_backup(P: Transitions, V: np.ndarray, gamma: float) -> np.ndarray:
    n_s, n_a = len(P), len(P[0])
    Q = np.zeros((n_s, n_a))
    for s in range(n_s):
        for a in range(n_a):
            for p, s_next, r, terminated in P[s][a]:
                Q[s, a] += p * (r + (0.0 if terminated else gamma * V[s_next]))
    return Q


def policy_evaluation(P: Transitions, policy: np.ndarray, gamma: float, tol: float = 1e-10,
                      max_iter: int = 10_000) -> np.ndarray:
    _check_gamma(gamma, max_iter)
    policy = np.asarray(policy, dtype=np.float64)
    if policy.shape != (len(P), len(P[0])):
        raise ValueError(f"policy must have shape {(len(P), len(P[0]))}, got {policy.shape}")
    if np.any(policy < 0) or not np.allclose(policy.sum(axis=1), 1.0, rtol=0, atol=1e-8):
        raise ValueError("each row of policy must be a probability distribution")
    V = np.zeros(len(P))
    for _ in range(max_iter):
        new = (policy * expected_backup(P, V, gamma)).sum(axis=1)
        change = np.abs(new - V).max()
        V = new
        if change < tol:
            break
    return V


def value_iteration(P: Transitions, gamma: float, tol: float = 1e-10,
                    max_iter: int = 10_000) -> tuple[np.ndarray, np.ndarray]:
    _check_gamma(gamma, max_iter)
    V = np.zeros(len(P))
    for _ in range(max_iter):
        new = expected_backup(P, V, gamma).max(axis=1)
        change = np.abs(new - V).max()
        V = new
        if change < tol:
            break
    return V, np.argmax(expected_backup(P, V, gamma), axis=1)
