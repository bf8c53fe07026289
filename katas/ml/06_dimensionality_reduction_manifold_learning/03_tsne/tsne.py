"""ml-06-3: t-SNE perplexity calibration and the KL gradient. Edit this file; `grader check ml-06-3` tests it."""
from __future__ import annotations

import numpy as np


def squared_distances(X: np.ndarray) -> np.ndarray:
    """(n, n) squared Euclidean distances between the rows of X, exactly 0 on the diagonal (given)."""
    diff = X[:, None, :] - X[None, :, :]
    return np.einsum("ijk,ijk->ij", diff, diff)


def conditional_probabilities(sq_distances: np.ndarray, perplexity: float, tol: float = 1e-5,
                              max_iter: int = 100) -> tuple[np.ndarray, np.ndarray]:
    """Row i is p_{j|i} = exp(-beta_i d_ij) / sum_{k != i} exp(-beta_i d_ik) for j != i, and p_{i|i} = 0,
    with each precision beta_i found by binary search so that the row's entropy (in nats) is
    log(perplexity) to within tol.

    The search for each row: start at beta = 1 with an empty bracket; at most max_iter times,
    compute the row and its entropy H; stop if |H - log(perplexity)| <= tol; if H is too large
    (too flat) raise beta (double it while there is no upper bound yet, else bisect towards the
    upper bound), otherwise lower it (halve it while there is no lower bound, else bisect).

    Shapes:
        sq_distances: (n, n) float64, symmetric, zero diagonal (squared Euclidean distances)
        returns: P (n, n) float64 with rows summing to 1 and a zero diagonal; beta (n,) float64
    """
    raise NotImplementedError("conditional_probabilities: binary-search beta_i row by row")


def joint_probabilities(X: np.ndarray, perplexity: float) -> np.ndarray:
    """t-SNE's symmetric input affinities p_ij = (p_{j|i} + p_{i|j}) / (2n).

    Shapes:
        X: (n, d) float64
        returns: (n, n) float64, symmetric, zero diagonal, summing to 1
    """
    raise NotImplementedError("joint_probabilities: symmetrise the conditional probabilities")


def kl_divergence_and_gradient(P: np.ndarray, Y: np.ndarray) -> tuple[float, np.ndarray]:
    """KL(P || Q) and its gradient with respect to the embedding Y, where
    q_ij = (1 + |y_i - y_j|^2)^-1 / sum_{k != l} (1 + |y_k - y_l|^2)^-1 for i != j (q_ii = 0) and
    KL = sum_{i != j, p_ij > 0} p_ij log(p_ij / q_ij)   (terms with p_ij = 0 contribute 0).

    Shapes:
        P: (n, n) float64, symmetric, zero diagonal, summing to 1 (may contain zeros)
        Y: (n, m) float64
        returns: (kl as a Python float, gradient (n, m) float64)
    """
    raise NotImplementedError("kl_divergence_and_gradient: Student-t Q, then 4 * sum_j (p-q)(y_i-y_j)/(1+d^2)")
