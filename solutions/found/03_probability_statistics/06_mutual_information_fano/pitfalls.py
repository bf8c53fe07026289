"""Plausible wrong mutual informations and Fano bounds that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from mutual_info import _h, check_joint, fano_lower_bound, mutual_information_joint

_mi_joint, _fano = mutual_information_joint, fano_lower_bound


@pitfall(replaces="mutual_information_joint", why="in bits (log2) where nats are asked for")
def mi_bits(P: np.ndarray) -> float:
    return _mi_joint(P) / np.log(2)


@pitfall(replaces="mutual_information_joint", why="uses the raw counts as probabilities (no normalisation)")
def mi_unnormalised(P: np.ndarray) -> float:
    check_joint(P)
    P = np.asarray(P, dtype=np.float64)
    px, py = P.sum(axis=1), P.sum(axis=0)
    nz = P > 0
    return float(np.sum(P[nz] * np.log(P[nz] / np.outer(px, py)[nz])))


@pitfall(replaces="conditional_entropy", why="H(Y | X) instead of H(X | Y): subtracts the entropy of the wrong margin")
def cond_wrong_axis(P: np.ndarray) -> float:
    P = check_joint(P)
    return _h(P.ravel()) - _h(P.sum(axis=1))


@pitfall(replaces="fano_lower_bound", why="log k instead of log(k − 1) in Fano's bound")
def fano_log_k(h_x_given_y: float, k: int) -> float:
    if k < 2 or h_x_given_y < 0 or h_x_given_y > np.log(k) + 1e-12:
        raise ValueError("args")
    if h_x_given_y == 0:
        return 0.0
    lo, hi = 0.0, (k - 1) / k
    for _ in range(200):
        mid = (lo + hi) / 2
        val = (-mid * np.log(mid) - (1 - mid) * np.log(1 - mid)) + mid * np.log(k)
        lo, hi = (lo, mid) if val >= h_x_given_y else (mid, hi)
    return hi


@pitfall(replaces="fano_lower_bound", why="the weakened form P_e >= (H(X|Y) − log 2) / log(k − 1), clipped at 0")
def fano_weak(h_x_given_y: float, k: int) -> float:
    if k < 2 or h_x_given_y < 0 or h_x_given_y > np.log(k) + 1e-12:
        raise ValueError("args")
    if k == 2:
        return _fano(h_x_given_y, k)
    return float(max((h_x_given_y - np.log(2)) / np.log(k - 1), 0.0))
