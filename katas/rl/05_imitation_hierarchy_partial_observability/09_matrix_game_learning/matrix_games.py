"""rl-05-9: independent learners and self-play in a matrix game. Edit this file; `grader check rl-05-9` tests it."""
from __future__ import annotations

import numpy as np


def best_response(payoff: np.ndarray, opponent: np.ndarray) -> int:
    """The row of `payoff` with the largest expected payoff against the opponent's mixed strategy
    (the first one on ties, within 1e-12: the first row i with (payoff @ opponent)[i] >= max - 1e-12).

    Shapes:
        payoff: (m, n) payoffs of the player choosing a row; opponent: (n,) probabilities
    """
    raise NotImplementedError("best_response: argmax of payoff @ opponent")


def exploitability(A: np.ndarray, x: np.ndarray, y: np.ndarray) -> float:
    """In the zero-sum game where the row player gets A[i, j] and the column player -A[i, j]: how much the
    two players together could gain by deviating, max_i (A y)_i - min_j (x^T A)_j. Zero exactly at a
    Nash equilibrium, positive elsewhere."""
    raise NotImplementedError("exploitability: the row player's best deviation minus the column player's")


def fictitious_play(A: np.ndarray, iterations: int) -> tuple[np.ndarray, np.ndarray]:
    """Fictitious play (self-play) in the zero-sum game A: start with one play of action 0 each; each
    iteration both players simultaneously best-respond (best_response; the column player uses -A.T)
    to the other's empirical frequencies so far, and the counts are updated. Returns the empirical
    frequencies (x, y) after `iterations` iterations.

    Raises:
        ValueError: iterations < 1.
    """
    raise NotImplementedError("fictitious_play: best-respond to the empirical mix of the opponent")


def independent_q_learning(A: np.ndarray, B: np.ndarray, steps: int, alpha: float, epsilon: float,
                           seed: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Two independent stateless epsilon-greedy Q-learners in the bimatrix game (A for the row player,
    B for the column player), each ignoring the other.

    rng = np.random.default_rng(seed); Q-values start at 0. Each step, player 1 then player 2:
    greedy g = best[rng.integers(len(best))] over the tied maxima of its Q; then it plays
    rng.integers(n_actions) if rng.random() < epsilon else g. Then q1[i] += alpha (A[i, j] - q1[i]) and
    q2[j] += alpha (B[i, j] - q2[j]). history[t] = (played_1, played_2, greedy_1, greedy_2).

    Raises:
        ValueError: A and B differ in shape.

    Shapes:
        returns: q1 (m,), q2 (n,), history (steps, 4) int
    """
    raise NotImplementedError("independent_q_learning: two bandit learners playing each other")
