"""Plausible wrong Markov-chain computations that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from markov_chain import check_stochastic, n_step, stationary_distribution, total_variation

_stationary = stationary_distribution


@pitfall(replaces="n_step", why="P ** n: the elementwise power, not the matrix power")
def n_step_elementwise(P: np.ndarray, n: int) -> np.ndarray:
    P = check_stochastic(P)
    if n < 0:
        raise ValueError("n")
    return P**n


@pitfall(replaces="distribution_after", why="P^n pi0: multiplies the distribution as a column from the right")
def dist_column(pi0: np.ndarray, P: np.ndarray, n: int) -> np.ndarray:
    return n_step(P, n) @ np.asarray(pi0, dtype=np.float64)


@pitfall(replaces="stationary_distribution", why="the eigenvector of P (a right eigenvector: all ones) instead of Pᵀ")
def stationary_right_eigenvector(P: np.ndarray) -> np.ndarray:
    P = check_stochastic(P)
    vals, vecs = np.linalg.eig(P)
    v = np.real(vecs[:, int(np.argmin(np.abs(vals - 1.0)))])
    return v / v.sum()


@pitfall(replaces="stationary_distribution", why="keeps eig's unit-norm scaling (and sign) instead of summing to 1")
def stationary_unit_norm(P: np.ndarray) -> np.ndarray:
    pi = _stationary(P)
    return pi / np.linalg.norm(pi)


@pitfall(replaces="total_variation", why="the full L1 distance, without the ½")
def tv_no_half(p: np.ndarray, q: np.ndarray) -> float:
    return float(np.sum(np.abs(np.asarray(p) - np.asarray(q))))


@pitfall(replaces="mixing_time", why="measures the distance from start state 0 only, not the worst start state")
def mixing_from_state_zero(P: np.ndarray, eps: float = 0.25, max_t: int = 10000) -> int:
    P = check_stochastic(P)
    if not 0 < eps < 1:
        raise ValueError("eps")
    pi, row = stationary_distribution(P), np.eye(len(P))[0]
    for t in range(max_t + 1):
        if total_variation(row, pi) <= eps:
            return t
        row = row @ P
    raise ValueError("not mixed")


@pitfall(replaces="mixing_time", why="strict < eps: a distance exactly eps does not count as mixed")
def mixing_strict(P: np.ndarray, eps: float = 0.25, max_t: int = 10000) -> int:
    P = check_stochastic(P)
    if not 0 < eps < 1:
        raise ValueError("eps")
    pi, Pt = stationary_distribution(P), np.eye(len(P))
    for t in range(max_t + 1):
        if max(total_variation(r, pi) for r in Pt) < eps:
            return t
        Pt = Pt @ P
    raise ValueError("not mixed")


@pitfall(replaces="mixing_time", why="starts counting at t = 1 (P¹), never considering t = 0")
def mixing_from_one(P: np.ndarray, eps: float = 0.25, max_t: int = 10000) -> int:
    P = check_stochastic(P)
    if not 0 < eps < 1:
        raise ValueError("eps")
    pi, Pt = stationary_distribution(P), P.copy()
    for t in range(1, max_t + 1):
        if max(total_variation(r, pi) for r in Pt) <= eps:
            return t
        Pt = Pt @ P
    raise ValueError("not mixed")
