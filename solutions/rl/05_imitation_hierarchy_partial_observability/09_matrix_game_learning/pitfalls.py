"""Plausible wrong matrix-game learners that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from matrix_games import best_response


@pitfall(replaces="best_response", why="argmin of the payoff (a worst response)")
def worst_response(payoff: np.ndarray, opponent: np.ndarray) -> int:
    return int(np.argmin(payoff @ opponent))


@pitfall(replaces="exploitability", why="only the row player's gain from deviating (half of the gap)")
def one_sided(A: np.ndarray, x: np.ndarray, y: np.ndarray) -> float:
    return float((A @ y).max() - x @ A @ y)


@pitfall(replaces="fictitious_play", why="the column player best-responds with A (maximises the row player's payoff)")
def column_maximises(A: np.ndarray, iterations: int) -> tuple[np.ndarray, np.ndarray]:
    if iterations < 1:
        raise ValueError("iterations")
    cx, cy = np.zeros(A.shape[0]), np.zeros(A.shape[1])
    cx[0] += 1
    cy[0] += 1
    for _ in range(iterations):
        i = best_response(A, cy / cy.sum())
        j = best_response(A.T, cx / cx.sum())
        cx[i] += 1
        cy[j] += 1
    return cx / cx.sum(), cy / cy.sum()


@pitfall(replaces="fictitious_play", why="returns the last best responses instead of the empirical frequencies")
def last_iterate(A: np.ndarray, iterations: int) -> tuple[np.ndarray, np.ndarray]:
    if iterations < 1:
        raise ValueError("iterations")
    cx, cy = np.zeros(A.shape[0]), np.zeros(A.shape[1])
    cx[0] += 1
    cy[0] += 1
    i = j = 0
    for _ in range(iterations):
        i = best_response(A, cy / cy.sum())
        j = best_response(-A.T, cx / cx.sum())
        cx[i] += 1
        cy[j] += 1
    return np.eye(A.shape[0])[i], np.eye(A.shape[1])[j]


@pitfall(replaces="independent_q_learning", why="both players learn from the row player's payoff A")
def shared_payoff(A: np.ndarray, B: np.ndarray, steps: int, alpha: float, epsilon: float,
                  seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if A.shape != B.shape:
        raise ValueError("shapes")
    rng = np.random.default_rng(seed)
    q1, q2 = np.zeros(A.shape[0]), np.zeros(A.shape[1])
    history = np.zeros((steps, 4), dtype=np.int64)
    for t in range(steps):
        greedy, played = [], []
        for q in (q1, q2):
            best = np.flatnonzero(q == q.max())
            g = int(best[rng.integers(len(best))])
            greedy.append(g)
            played.append(int(rng.integers(len(q))) if rng.random() < epsilon else g)
        i, j = played
        q1[i] += alpha * (A[i, j] - q1[i])
        q2[j] += alpha * (A[i, j] - q2[j])
        history[t] = (i, j, greedy[0], greedy[1])
    return q1, q2, history
