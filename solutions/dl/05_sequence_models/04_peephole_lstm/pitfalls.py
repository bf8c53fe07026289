"""Plausible wrong peephole LSTMs that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from peephole_lstm import peephole_lstm_cell, sigmoid


@pitfall(replaces="peephole_lstm_cell", why="the output gate peeks at the old cell c instead of the new c'")
def output_peeks_old_cell(x: np.ndarray, h: np.ndarray, c: np.ndarray, W_ih: np.ndarray, W_hh: np.ndarray,
                          b: np.ndarray, p_i: np.ndarray, p_f: np.ndarray, p_o: np.ndarray) -> tuple:
    a_i, a_f, a_g, a_o = np.split(x @ W_ih.T + h @ W_hh.T + b, 4, axis=-1)
    c1 = sigmoid(a_f + p_f * c) * c + sigmoid(a_i + p_i * c) * np.tanh(a_g)
    return sigmoid(a_o + p_o * c) * np.tanh(c1), c1


@pitfall(replaces="peephole_lstm_cell", why="peephole weights swapped between the input and forget gates")
def swapped_peepholes(x: np.ndarray, h: np.ndarray, c: np.ndarray, W_ih: np.ndarray, W_hh: np.ndarray,
                      b: np.ndarray, p_i: np.ndarray, p_f: np.ndarray, p_o: np.ndarray) -> tuple:
    a_i, a_f, a_g, a_o = np.split(x @ W_ih.T + h @ W_hh.T + b, 4, axis=-1)
    c1 = sigmoid(a_f + p_i * c) * c + sigmoid(a_i + p_f * c) * np.tanh(a_g)
    return sigmoid(a_o + p_o * c1) * np.tanh(c1), c1


@pitfall(replaces="peephole_lstm_cell", why="a peephole on the candidate g as well (tanh(a_g + p·c))")
def peephole_on_candidate(x: np.ndarray, h: np.ndarray, c: np.ndarray, W_ih: np.ndarray, W_hh: np.ndarray,
                          b: np.ndarray, p_i: np.ndarray, p_f: np.ndarray, p_o: np.ndarray) -> tuple:
    a_i, a_f, a_g, a_o = np.split(x @ W_ih.T + h @ W_hh.T + b, 4, axis=-1)
    c1 = sigmoid(a_f + p_f * c) * c + sigmoid(a_i + p_i * c) * np.tanh(a_g + p_i * c)
    return sigmoid(a_o + p_o * c1) * np.tanh(c1), c1


@pitfall(replaces="peephole_lstm_cell", why="peepholes read tanh(c) instead of c")
def peek_through_tanh(x: np.ndarray, h: np.ndarray, c: np.ndarray, W_ih: np.ndarray, W_hh: np.ndarray,
                      b: np.ndarray, p_i: np.ndarray, p_f: np.ndarray, p_o: np.ndarray) -> tuple:
    a_i, a_f, a_g, a_o = np.split(x @ W_ih.T + h @ W_hh.T + b, 4, axis=-1)
    tc = np.tanh(c)
    c1 = sigmoid(a_f + p_f * tc) * c + sigmoid(a_i + p_i * tc) * np.tanh(a_g)
    return sigmoid(a_o + p_o * np.tanh(c1)) * np.tanh(c1), c1


@pitfall(replaces="peephole_lstm_sequence", why="resets the cell to c0 at every step")
def cell_not_carried(xs: np.ndarray, h0: np.ndarray, c0: np.ndarray, W_ih: np.ndarray, W_hh: np.ndarray,
                     b: np.ndarray, p_i: np.ndarray, p_f: np.ndarray, p_o: np.ndarray) -> tuple:
    h, c, hs = h0, c0, []
    for t in range(xs.shape[0]):
        h, c = peephole_lstm_cell(xs[t], h, c0, W_ih, W_hh, b, p_i, p_f, p_o)
        hs.append(h)
    return np.stack(hs), c
