"""dl-05-1: a vanilla RNN and backpropagation through time in NumPy. Edit this file; `grader check dl-05-1` tests it.

torch.nn.RNN's conventions: time-major inputs (T, N, D) and

    h_t = f(x_t W_ihᵀ + b_ih + h_{t−1} W_hhᵀ + b_hh),   f = tanh or relu,   t = 1..T, h_0 given

with W_ih (H, D), W_hh (H, H), b_ih and b_hh (H,), all float64.
"""
from __future__ import annotations

from typing import Any

import numpy as np


def rnn_forward(x: np.ndarray, h0: np.ndarray, W_ih: np.ndarray, W_hh: np.ndarray, b_ih: np.ndarray,
                b_hh: np.ndarray, nonlinearity: str = "tanh") -> tuple[np.ndarray, dict[str, Any]]:
    """Run the recurrence; return every hidden state h_1..h_T and a cache for rnn_backward. No input is modified.

    Shapes:
        x: (T, N, D); h0: (N, H) -> hs: (T, N, H)

    Raises:
        ValueError: if nonlinearity is not "tanh" or "relu".
    """
    raise NotImplementedError("rnn_forward: loop over t, keep what the backward pass needs")


def rnn_backward(dhs: np.ndarray, cache: dict[str, Any]) -> tuple[np.ndarray, ...]:
    """Backpropagation through time. dhs[t] is ∂L/∂h_{t+1} coming from outside the recurrence (e.g. a
    loss on every step's output); the gradient reaching h_t is that plus what flows back from h_{t+1}.
    relu's derivative at 0 is 0. The six results are separate arrays (db_ih and db_hh are equal but
    do not share memory: clipping one in place must not change the other).

    Shapes:
        dhs: (T, N, H)
        returns: dx (T, N, D), dh0 (N, H), dW_ih (H, D), dW_hh (H, H), db_ih (H,), db_hh (H,)
    """
    raise NotImplementedError("rnn_backward: walk t from T down to 1, carrying dh into the previous step")
