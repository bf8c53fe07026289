"""Plausible wrong GRU cells that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from gru_cell import gru_cell, sigmoid


def _gates(x: np.ndarray, h: np.ndarray, W_ih: np.ndarray, W_hh: np.ndarray, b_ih: np.ndarray | None,
           b_hh: np.ndarray | None) -> tuple:
    gi = x @ W_ih.T + (0 if b_ih is None else b_ih)
    gh = h @ W_hh.T + (0 if b_hh is None else b_hh)
    return np.split(gi, 3, axis=-1), np.split(gh, 3, axis=-1)


@pitfall(replaces="gru_cell", why="gate order z, r, n (Keras/the paper's order) instead of torch's r, z, n")
def gates_z_r_n(x: np.ndarray, h: np.ndarray, W_ih: np.ndarray, W_hh: np.ndarray, b_ih: np.ndarray | None = None,
                b_hh: np.ndarray | None = None) -> np.ndarray:
    (i_z, i_r, i_n), (h_z, h_r, h_n) = _gates(x, h, W_ih, W_hh, b_ih, b_hh)
    r, z = sigmoid(i_r + h_r), sigmoid(i_z + h_z)
    return ((1 - z) * np.tanh(i_n + r * h_n) + z * h).astype(x.dtype)


@pitfall(replaces="gru_cell", why="the paper's candidate, W_hn (r ⊙ h) + b_hn: the reset gate does not scale b_hn")
def reset_before_matmul(x: np.ndarray, h: np.ndarray, W_ih: np.ndarray, W_hh: np.ndarray,
                        b_ih: np.ndarray | None = None, b_hh: np.ndarray | None = None) -> np.ndarray:
    (i_r, i_z, i_n), (h_r, h_z, _) = _gates(x, h, W_ih, W_hh, b_ih, b_hh)
    r, z = sigmoid(i_r + h_r), sigmoid(i_z + h_z)
    H = h.shape[-1]
    h_n = (r * h) @ W_hh[2 * H:].T + (0 if b_hh is None else b_hh[2 * H:])
    return ((1 - z) * np.tanh(i_n + h_n) + z * h).astype(x.dtype)


@pitfall(replaces="gru_cell", why="h' = z ⊙ n + (1 − z) ⊙ h: the update gate's roles swapped")
def swapped_interpolation(x: np.ndarray, h: np.ndarray, W_ih: np.ndarray, W_hh: np.ndarray,
                          b_ih: np.ndarray | None = None, b_hh: np.ndarray | None = None) -> np.ndarray:
    (i_r, i_z, i_n), (h_r, h_z, h_n) = _gates(x, h, W_ih, W_hh, b_ih, b_hh)
    r, z = sigmoid(i_r + h_r), sigmoid(i_z + h_z)
    return (z * np.tanh(i_n + r * h_n) + (1 - z) * h).astype(x.dtype)


@pitfall(replaces="gru_cell", why="the reset gate multiplies the input part of the candidate too")
def reset_on_input(x: np.ndarray, h: np.ndarray, W_ih: np.ndarray, W_hh: np.ndarray, b_ih: np.ndarray | None = None,
                   b_hh: np.ndarray | None = None) -> np.ndarray:
    (i_r, i_z, i_n), (h_r, h_z, h_n) = _gates(x, h, W_ih, W_hh, b_ih, b_hh)
    r, z = sigmoid(i_r + h_r), sigmoid(i_z + h_z)
    return ((1 - z) * np.tanh(r * (i_n + h_n)) + z * h).astype(x.dtype)


@pitfall(replaces="gru_cell", why="float64 constants in the gate arithmetic: float32 inputs come back float64")
def upcast(x: np.ndarray, h: np.ndarray, W_ih: np.ndarray, W_hh: np.ndarray, b_ih: np.ndarray | None = None,
           b_hh: np.ndarray | None = None) -> np.ndarray:
    (i_r, i_z, i_n), (h_r, h_z, h_n) = _gates(x, h, W_ih, W_hh, b_ih, b_hh)
    r = 1 / (1 + np.exp(-(i_r + h_r).astype(np.float64)))
    z = 1 / (1 + np.exp(-(i_z + h_z).astype(np.float64)))
    return (1 - z) * np.tanh(i_n + r * h_n) + z * h


@pitfall(replaces="gru_sequence", why="feeds h0 to every step instead of the previous step's state")
def no_recurrence(xs: np.ndarray, h0: np.ndarray, W_ih: np.ndarray, W_hh: np.ndarray, b_ih: np.ndarray | None = None,
                  b_hh: np.ndarray | None = None) -> np.ndarray:
    return np.stack([gru_cell(xs[t], h0, W_ih, W_hh, b_ih, b_hh) for t in range(xs.shape[0])])
