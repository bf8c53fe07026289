"""rl-01-1: policy evaluation and value iteration on FrozenLake's transition model.

Edit this file; `grader check rl-01-1` tests it.
"""
from __future__ import annotations

import numpy as np

# gymnasium's transition model, env.unwrapped.P: P[s][a] = [(prob, s_next, reward, terminated), ...]
Transitions = dict[int, dict[int, list[tuple[float, int, float, bool]]]]


def expected_backup(P: Transitions, V: np.ndarray, gamma: float) -> np.ndarray:
    """One-step lookahead: the action values implied by the state values V.

        Q[s, a] = sum over (p, s', r, terminated) in P[s][a] of  p * (r + gamma * V[s'] * (not terminated))

    A terminating outcome contributes only its reward. V is not modified.

    Shapes:
        P: len(P) = n_states, len(P[s]) = n_actions
        V: (n_states,) float64
        returns: (n_states, n_actions) float64
    """
    raise NotImplementedError("expected_backup: sum p * (r + gamma * V[s'] * (not terminated)) over outcomes")


def policy_evaluation(P: Transitions, policy: np.ndarray, gamma: float, tol: float = 1e-10,
                      max_iter: int = 10_000) -> np.ndarray:
    """V^pi of a stochastic policy by iterating the Bellman expectation equation.

    Synchronous sweeps: V_0 = 0 and V_k[s] = sum_a policy[s, a] * Q_k[s, a] with
    Q_k = expected_backup(P, V_{k-1}, gamma). Stop after the first sweep k with
    max_s |V_k[s] - V_{k-1}[s]| < tol, or after k = max_iter sweeps; return V_k.
    `policy` is not modified.

    Raises:
        ValueError: gamma outside [0, 1); max_iter < 1; policy not of shape (n_states, n_actions),
            with a negative entry, or with a row not summing to 1 (to within 1e-8).

    Shapes:
        policy: (n_states, n_actions), rows are probability distributions
        returns: (n_states,) float64
    """
    raise NotImplementedError("policy_evaluation: repeat V <- sum_a pi(a|s) Q(s, a) until it stops changing")


def value_iteration(P: Transitions, gamma: float, tol: float = 1e-10,
                    max_iter: int = 10_000) -> tuple[np.ndarray, np.ndarray]:
    """V* by iterating the Bellman optimality equation, and a policy greedy with respect to it.

    Synchronous sweeps: V_0 = 0 and V_k = max_a expected_backup(P, V_{k-1}, gamma). Stop after the
    first sweep k with max_s |V_k[s] - V_{k-1}[s]| < tol, or after k = max_iter sweeps; return V_k
    and a greedy policy pi[s] in argmax_a expected_backup(P, V_k, gamma)[s, a] (any of tied actions).

    Raises:
        ValueError: gamma outside [0, 1); max_iter < 1.

    Shapes:
        returns: V (n_states,) float64, pi (n_states,) integer actions
    """
    raise NotImplementedError("value_iteration: repeat V <- max_a Q(s, a), then act greedily")
