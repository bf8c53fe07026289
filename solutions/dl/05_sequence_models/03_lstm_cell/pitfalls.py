"""Plausible wrong LSTM cells that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from lstm_cell import lstm_cell, sigmoid


def _a(x: np.ndarray, h: np.ndarray, W_ih: np.ndarray, W_hh: np.ndarray, b_ih: np.ndarray | None,
       b_hh: np.ndarray | None) -> list[np.ndarray]:
    a = x @ W_ih.T + h @ W_hh.T + (0 if b_ih is None else b_ih) + (0 if b_hh is None else b_hh)
    return np.split(a, 4, axis=-1)


@pitfall(replaces="lstm_cell", why="gate order i, f, o, g (as in char-rnn) instead of torch's i, f, g, o")
def order_ifog(x: np.ndarray, h: np.ndarray, c: np.ndarray, W_ih: np.ndarray, W_hh: np.ndarray,
               b_ih: np.ndarray | None = None, b_hh: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    a_i, a_f, a_o, a_g = _a(x, h, W_ih, W_hh, b_ih, b_hh)
    c1 = sigmoid(a_f) * c + sigmoid(a_i) * np.tanh(a_g)
    return (sigmoid(a_o) * np.tanh(c1)).astype(x.dtype), c1.astype(x.dtype)


@pitfall(replaces="lstm_cell", why="h' = o ⊙ c' (forgets the tanh on the cell)")
def no_output_tanh(x: np.ndarray, h: np.ndarray, c: np.ndarray, W_ih: np.ndarray, W_hh: np.ndarray,
                   b_ih: np.ndarray | None = None, b_hh: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    a_i, a_f, a_g, a_o = _a(x, h, W_ih, W_hh, b_ih, b_hh)
    c1 = sigmoid(a_f) * c + sigmoid(a_i) * np.tanh(a_g)
    return (sigmoid(a_o) * c1).astype(x.dtype), c1.astype(x.dtype)


@pitfall(replaces="lstm_cell", why="candidate g through a sigmoid instead of tanh")
def sigmoid_candidate(x: np.ndarray, h: np.ndarray, c: np.ndarray, W_ih: np.ndarray, W_hh: np.ndarray,
                      b_ih: np.ndarray | None = None, b_hh: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    a_i, a_f, a_g, a_o = _a(x, h, W_ih, W_hh, b_ih, b_hh)
    c1 = sigmoid(a_f) * c + sigmoid(a_i) * sigmoid(a_g)
    return (sigmoid(a_o) * np.tanh(c1)).astype(x.dtype), c1.astype(x.dtype)


@pitfall(replaces="lstm_cell", why="uses only one of the two bias vectors (b_hh dropped)")
def one_bias(x: np.ndarray, h: np.ndarray, c: np.ndarray, W_ih: np.ndarray, W_hh: np.ndarray,
             b_ih: np.ndarray | None = None, b_hh: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    a_i, a_f, a_g, a_o = _a(x, h, W_ih, W_hh, b_ih, None)
    c1 = sigmoid(a_f) * c + sigmoid(a_i) * np.tanh(a_g)
    return (sigmoid(a_o) * np.tanh(c1)).astype(x.dtype), c1.astype(x.dtype)


@pitfall(replaces="lstm_sequence", why="returns the hidden state where the final cell state belongs")
def returns_h_as_c(xs: np.ndarray, h0: np.ndarray, c0: np.ndarray, W_ih: np.ndarray, W_hh: np.ndarray,
                   b_ih: np.ndarray | None = None, b_hh: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    h, c, hs = h0, c0, []
    for t in range(xs.shape[0]):
        h, c = lstm_cell(xs[t], h, c, W_ih, W_hh, b_ih, b_hh)
        hs.append(h)
    return np.stack(hs), h


@pitfall(replaces="lstm_sequence", why="resets the cell state to c0 at every step (only h is carried)")
def cell_not_carried(xs: np.ndarray, h0: np.ndarray, c0: np.ndarray, W_ih: np.ndarray, W_hh: np.ndarray,
                     b_ih: np.ndarray | None = None, b_hh: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    h, c, hs = h0, c0, []
    for t in range(xs.shape[0]):
        h, c = lstm_cell(xs[t], h, c0, W_ih, W_hh, b_ih, b_hh)
        hs.append(h)
    return np.stack(hs), c
