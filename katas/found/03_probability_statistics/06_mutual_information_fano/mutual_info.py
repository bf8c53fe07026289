"""found-03-6: mutual information and Fano's inequality. Edit this file; `grader check found-03-6` tests it."""
from __future__ import annotations

import numpy as np


def check_joint(P: np.ndarray) -> np.ndarray:
    """P as float64, divided by its sum; ValueError unless 2-D, non-negative, with a positive sum."""
    P = np.asarray(P, dtype=np.float64)
    if P.ndim != 2 or np.any(P < 0) or not P.sum() > 0:
        raise ValueError("P must be a 2-D table of non-negative weights with a positive sum")
    return P / P.sum()


def conditional_entropy(P: np.ndarray) -> float:
    """H(X | Y) in nats for a joint table P[x, y] (rows are X, columns are Y), normalised by check_joint.

    H(X | Y) = H(X, Y) − H(Y), with 0 · log 0 = 0.

    Raises:
        ValueError: as check_joint.
    """
    raise NotImplementedError("conditional_entropy: H(X, Y) - H(Y)")


def mutual_information_joint(P: np.ndarray) -> float:
    """I(X; Y) in nats for a joint table P[x, y]: Σ P log(P / (P_x P_y)) = H(X) + H(Y) − H(X, Y), >= 0.

    Raises:
        ValueError: as check_joint.
    """
    raise NotImplementedError("mutual_information_joint: H(X) + H(Y) - H(X, Y)")


def mutual_information(x: np.ndarray, y: np.ndarray) -> float:
    """I(X; Y) in nats of two label sequences (any hashable labels), like sklearn.metrics.mutual_info_score.

    Count the pairs into a contingency table and use mutual_information_joint.

    Raises:
        ValueError: if x and y are not non-empty 1-D arrays of the same length.
    """
    raise NotImplementedError("mutual_information: contingency table of the label pairs")


def fano_lower_bound(h_x_given_y: float, k: int) -> float:
    """The smallest error probability Fano's inequality allows for guessing X (k values) from Y.

    Fano: H(X | Y) <= H_b(P_e) + P_e log(k − 1), H_b the binary entropy in nats. The right side
    increases on [0, (k−1)/k]; return the smallest P_e there with H_b(P_e) + P_e log(k − 1) >= H(X|Y)
    (to 1e-12; exactly 0.0 when H(X|Y) = 0, and (k−1)/k when H(X|Y) = log k).

    Raises:
        ValueError: if k < 2 or H(X|Y) is outside [0, log k].
    """
    raise NotImplementedError("fano_lower_bound: invert H_b(p) + p log(k - 1) by bisection")
