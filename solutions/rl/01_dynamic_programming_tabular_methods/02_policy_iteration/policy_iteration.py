"""Reference solution for rl-01-2."""
from __future__ import annotations

import numpy as np

# gymnasium's transition model, env.unwrapped.P: P[s][a] = [(prob, s_next, reward, terminated), ...]
Transitions = dict[int, dict[int, list[tuple[float, int, float, bool]]]]


def model_arrays(P: Transitions) -> tuple[np.ndarray, np.ndarray]:
    """T[s, a, s'] = probability of reaching s' and continuing; R[s, a] = expected reward (given)."""
    n_s, n_a = len(P), len(P[0])
    T, R = np.zeros((n_s, n_a, n_s)), np.zeros((n_s, n_a))
    for s in range(n_s):
        for a in range(n_a):
            for p, s_next, r, terminated in P[s][a]:
                R[s, a] += p * r
                if not terminated:
                    T[s, a, s_next] += p
    return T, R


def _check(P: Transitions, pi: np.ndarray, gamma: float) -> np.ndarray:
    if not 0.0 <= gamma < 1.0:
        raise ValueError(f"gamma must be in [0, 1), got {gamma}")
    pi = np.asarray(pi)
    if pi.shape != (len(P),) or pi.dtype.kind not in "iu" or np.any(pi < 0) or np.any(pi >= len(P[0])):
        raise ValueError(f"pi must be {len(P)} integer actions in [0, {len(P[0])}), got {pi!r}")
    return pi


def policy_value(P: Transitions, pi: np.ndarray, gamma: float) -> np.ndarray:
    pi = _check(P, pi, gamma)
    T, R = model_arrays(P)
    rows = np.arange(len(P))
    return np.linalg.solve(np.eye(len(P)) - gamma * T[rows, pi], R[rows, pi])


def policy_improvement(P: Transitions, V: np.ndarray, pi: np.ndarray, gamma: float,
                       tol: float = 1e-9) -> np.ndarray:
    pi = _check(P, pi, gamma)
    T, R = model_arrays(P)
    Q = R + gamma * T @ V
    best = Q.max(axis=1)
    new = np.argmax(Q >= best[:, None] - tol, axis=1)
    keep = Q[np.arange(len(P)), pi] >= best - tol
    return np.where(keep, pi, new)


def policy_iteration(P: Transitions, gamma: float, pi0: np.ndarray | None = None,
                     max_iter: int = 100) -> tuple[np.ndarray, np.ndarray, int]:
    if max_iter < 1:
        raise ValueError(f"max_iter must be at least 1, got {max_iter}")
    pi = _check(P, np.zeros(len(P), dtype=np.int64) if pi0 is None else pi0, gamma).copy()
    for n_evals in range(1, max_iter + 1):
        V = policy_value(P, pi, gamma)
        new = policy_improvement(P, V, pi, gamma)
        if np.array_equal(new, pi) or n_evals == max_iter:
            return V, pi, n_evals
        pi = new
    raise AssertionError("unreachable")
