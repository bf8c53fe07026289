"""dl-05-3: an LSTM cell in NumPy with torch.nn.LSTMCell's conventions. Edit this file; `grader check dl-05-3` tests it."""
from __future__ import annotations

import numpy as np


def sigmoid(a: np.ndarray) -> np.ndarray:
    """Given: a numerically stable logistic function (keeps the dtype)."""
    e = np.exp(-np.abs(a))
    return np.where(a >= 0, 1 / (1 + e), e / (1 + e)).astype(a.dtype, copy=False)


def lstm_cell(x: np.ndarray, h: np.ndarray, c: np.ndarray, W_ih: np.ndarray, W_hh: np.ndarray,
              b_ih: np.ndarray | None = None, b_hh: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """One LSTM step, exactly torch.nn.LSTMCell. Stacked weights hold the gates in the order i, f, g, o:
    W_ih (4H, D), W_hh (4H, H), biases (4H,) or None. With a = x W_ihᵀ + b_ih + h W_hhᵀ + b_hh split
    into four H-blocks:

        i = σ(a_i)   f = σ(a_f)   g = tanh(a_g)   o = σ(a_o)
        c' = f ⊙ c + i ⊙ g         h' = o ⊙ tanh(c')

    Batched (N, D) or single-vector (D,) inputs; x, h, c, the weights and the biases share one dtype
    (float32 or float64) and the results have it; no input is modified.

    Shapes:
        x: (N, D) or (D,); h, c: (N, H) or (H,) -> h', c': the shape of h
    """
    raise NotImplementedError("lstm_cell: one stacked projection, four gates, new cell, new hidden state")


def lstm_sequence(xs: np.ndarray, h0: np.ndarray, c0: np.ndarray, W_ih: np.ndarray, W_hh: np.ndarray,
                  b_ih: np.ndarray | None = None, b_hh: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Run lstm_cell over time-major inputs: every hidden state (like torch.nn.LSTM's output) and the
    final cell state.

    Shapes:
        xs: (T, N, D); h0, c0: (N, H) -> hs: (T, N, H), c_T: (N, H)
    """
    raise NotImplementedError("lstm_sequence: carry (h, c) through time")
