"""Plausible wrong versions of policy iteration that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from policy_iteration import Transitions, _check, model_arrays, policy_improvement, policy_value


@pitfall(replaces="policy_value", why="bootstraps through terminating transitions (ignores the terminated flag)")
def bootstraps_terminal(P: Transitions, pi: np.ndarray, gamma: float) -> np.ndarray:
    pi = _check(P, pi, gamma)
    n_s, rows = len(P), np.arange(len(P))
    T, R = np.zeros((n_s, len(P[0]), n_s)), model_arrays(P)[1]
    for s in range(n_s):
        for a in range(len(P[0])):
            for p, s2, _r, _d in P[s][a]:
                T[s, a, s2] += p
    return np.linalg.solve(np.eye(n_s) - gamma * T[rows, pi], R[rows, pi])


@pitfall(replaces="policy_value", why="one Bellman sweep from zero instead of solving for V^pi (returns just R_pi)")
def one_sweep(P: Transitions, pi: np.ndarray, gamma: float) -> np.ndarray:
    pi = _check(P, pi, gamma)
    _T, R = model_arrays(P)
    return R[np.arange(len(P)), pi]


@pitfall(replaces="policy_improvement", why="plain argmax: drops the old action on ties, so PI can flip between equals")
def plain_argmax(P: Transitions, V: np.ndarray, pi: np.ndarray, gamma: float, tol: float = 1e-9) -> np.ndarray:
    pi = _check(P, pi, gamma)
    T, R = model_arrays(P)
    return np.argmax(R + gamma * T @ V, axis=1)


@pitfall(replaces="policy_improvement", why="greedy on the immediate reward only (forgets gamma * V[s'])")
def myopic(P: Transitions, V: np.ndarray, pi: np.ndarray, gamma: float, tol: float = 1e-9) -> np.ndarray:
    pi = _check(P, pi, gamma)
    _T, R = model_arrays(P)
    best = R.max(axis=1)
    keep = R[np.arange(len(P)), pi] >= best - tol
    return np.where(keep, pi, np.argmax(R >= best[:, None] - tol, axis=1))


@pitfall(replaces="policy_improvement", why="ignores tol: an action must be strictly best to be kept")
def exact_ties(P: Transitions, V: np.ndarray, pi: np.ndarray, gamma: float, tol: float = 1e-9) -> np.ndarray:
    pi = _check(P, pi, gamma)
    T, R = model_arrays(P)
    Q = R + gamma * T @ V
    best = Q.max(axis=1)
    keep = Q[np.arange(len(P)), pi] >= best
    return np.where(keep, pi, np.argmax(Q, axis=1))


@pitfall(replaces="policy_iteration", why="counts improvements, not evaluations (n_evals one short)")
def counts_improvements(P: Transitions, gamma: float, pi0: np.ndarray | None = None,
                        max_iter: int = 100) -> tuple[np.ndarray, np.ndarray, int]:
    if max_iter < 1:
        raise ValueError("max_iter")
    pi = _check(P, np.zeros(len(P), dtype=np.int64) if pi0 is None else pi0, gamma).copy()
    for n in range(max_iter):
        V = policy_value(P, pi, gamma)
        new = policy_improvement(P, V, pi, gamma)
        if np.array_equal(new, pi) or n + 1 == max_iter:
            return V, pi, n
        pi = new
    raise AssertionError("unreachable")


@pitfall(replaces="policy_iteration", why="returns the improved policy with the value of the previous one")
def mismatched_pair(P: Transitions, gamma: float, pi0: np.ndarray | None = None,
                    max_iter: int = 100) -> tuple[np.ndarray, np.ndarray, int]:
    if max_iter < 1:
        raise ValueError("max_iter")
    pi = _check(P, np.zeros(len(P), dtype=np.int64) if pi0 is None else pi0, gamma).copy()
    for n_evals in range(1, max_iter + 1):
        V = policy_value(P, pi, gamma)
        new = policy_improvement(P, V, pi, gamma)
        if np.array_equal(new, pi) or n_evals == max_iter:
            return V, new, n_evals
        pi = new
    raise AssertionError("unreachable")
