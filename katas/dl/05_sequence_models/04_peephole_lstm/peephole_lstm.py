"""dl-05-4: an LSTM cell with peephole connections. Edit this file; `grader check dl-05-4` tests it."""
from __future__ import annotations

import numpy as np


def sigmoid(a: np.ndarray) -> np.ndarray:
    """Given: a numerically stable logistic function (keeps the dtype)."""
    e = np.exp(-np.abs(a))
    return np.where(a >= 0, 1 / (1 + e), e / (1 + e)).astype(a.dtype, copy=False)


def peephole_lstm_cell(x: np.ndarray, h: np.ndarray, c: np.ndarray, W_ih: np.ndarray, W_hh: np.ndarray,
                       b: np.ndarray, p_i: np.ndarray, p_f: np.ndarray, p_o: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One step of the peephole LSTM (Gers, Schraudolph & Schmidhuber 2002). W_ih (4H, D), W_hh (4H, H)
    and b (4H,) stack the gates in torch's order i, f, g, o; the peephole weights p_i, p_f, p_o (H,)
    are diagonal (elementwise) connections from the cell to the gates:

        a = x W_ihᵀ + h W_hhᵀ + b                  (split into a_i, a_f, a_g, a_o)
        i = σ(a_i + p_i ⊙ c)        f = σ(a_f + p_f ⊙ c)        g = tanh(a_g)
        c' = f ⊙ c + i ⊙ g
        o = σ(a_o + p_o ⊙ c')       (the output gate peeks at the NEW cell)
        h' = o ⊙ tanh(c')

    With all peepholes zero this is torch.nn.LSTMCell (with b = b_ih + b_hh). No input is modified.

    Shapes:
        x: (N, D); h, c: (N, H) -> h', c': (N, H)
    """
    raise NotImplementedError("peephole_lstm_cell: i and f peek at c, o peeks at c'")


def peephole_lstm_sequence(xs: np.ndarray, h0: np.ndarray, c0: np.ndarray, W_ih: np.ndarray, W_hh: np.ndarray,
                           b: np.ndarray, p_i: np.ndarray, p_f: np.ndarray,
                           p_o: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every hidden state of a time-major sequence and the final cell state.

    Shapes:
        xs: (T, N, D); h0, c0: (N, H) -> hs: (T, N, H), c_T: (N, H)
    """
    raise NotImplementedError("peephole_lstm_sequence: carry (h, c) through time")
