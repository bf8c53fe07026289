"""found-03-8: Markov chains. Edit this file; `grader check found-03-8` tests it."""
from __future__ import annotations

import numpy as np


def check_stochastic(P: np.ndarray) -> np.ndarray:
    """P as float64; ValueError unless square, non-negative, with rows summing to 1 (to 1e-9)."""
    P = np.asarray(P, dtype=np.float64)
    if P.ndim != 2 or P.shape[0] != P.shape[1] or np.any(P < 0) or not np.allclose(P.sum(axis=1), 1, atol=1e-9):
        raise ValueError("P must be a square row-stochastic matrix")
    return P


def n_step(P: np.ndarray, n: int) -> np.ndarray:
    """The n-step transition matrix P^n (a matrix power, by repeated squaring); P^0 = I.

    Raises:
        ValueError: if P is not row-stochastic (check_stochastic) or n < 0.
    """
    raise NotImplementedError("n_step: matrix power by repeated squaring")


def distribution_after(pi0: np.ndarray, P: np.ndarray, n: int) -> np.ndarray:
    """The distribution of the state after n steps from the row vector pi0: pi0 P^n.

    Shapes:
        pi0: (k,); P: (k, k)
        returns: (k,) float64
    """
    raise NotImplementedError("distribution_after: a row vector times P^n")


def stationary_distribution(P: np.ndarray) -> np.ndarray:
    """The stationary distribution pi (pi P = pi, pi >= 0, sum 1) of an irreducible chain.

    pi is a left eigenvector of P for eigenvalue 1, i.e. an eigenvector of Pᵀ: take it (real part)
    and scale it to sum to 1, which also fixes its sign.

    Shapes:
        returns: (k,) float64

    Raises:
        ValueError: if P is not row-stochastic.
    """
    raise NotImplementedError("stationary_distribution: the eigenvector of P.T for eigenvalue 1")


def total_variation(p: np.ndarray, q: np.ndarray) -> float:
    """Total-variation distance ½ Σ |p_i − q_i| between two distributions (in [0, 1])."""
    raise NotImplementedError("total_variation: half the L1 distance")


def mixing_time(P: np.ndarray, eps: float = 0.25, max_t: int = 10000) -> int:
    """The smallest t >= 0 with max over start states i of TV(P^t[i, :], pi) <= eps.

    Raises:
        ValueError: if P is not row-stochastic, eps is not in (0, 1), or no t <= max_t qualifies
            (a periodic or reducible chain may never mix).
    """
    raise NotImplementedError("mixing_time: step P^t until the worst start state is eps-close to pi")
