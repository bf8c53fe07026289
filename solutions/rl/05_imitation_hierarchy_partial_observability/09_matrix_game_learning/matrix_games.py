"""Reference solution for rl-05-9."""
from __future__ import annotations

import numpy as np


def best_response(payoff: np.ndarray, opponent: np.ndarray) -> int:
    """The first row i with (payoff @ opponent)[i] >= max - 1e-12 (ties within 1e-12 go to the first)."""
    values = payoff @ opponent
    return int(np.flatnonzero(values >= values.max() - 1e-12)[0])


def exploitability(A: np.ndarray, x: np.ndarray, y: np.ndarray) -> float:
    return float((A @ y).max() - (x @ A).min())


def fictitious_play(A: np.ndarray, iterations: int) -> tuple[np.ndarray, np.ndarray]:
    if iterations < 1:
        raise ValueError(f"iterations must be at least 1, got {iterations}")
    m, n = A.shape
    cx, cy = np.zeros(m), np.zeros(n)
    cx[0] += 1
    cy[0] += 1
    for _ in range(iterations):
        i = best_response(A, cy / cy.sum())
        j = best_response(-A.T, cx / cx.sum())
        cx[i] += 1
        cy[j] += 1
    return cx / cx.sum(), cy / cy.sum()


def independent_q_learning(A: np.ndarray, B: np.ndarray, steps: int, alpha: float, epsilon: float,
                           seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if A.shape != B.shape:
        raise ValueError("A and B must have the same shape")
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
        q2[j] += alpha * (B[i, j] - q2[j])
        history[t] = (i, j, greedy[0], greedy[1])
    return q1, q2, history
