"""dl-05-2: a GRU cell in NumPy with torch.nn.GRUCell's conventions. Edit this file; `grader check dl-05-2` tests it."""
from __future__ import annotations

import numpy as np


def sigmoid(a: np.ndarray) -> np.ndarray:
    """Given: a numerically stable logistic function (keeps the dtype)."""
    e = np.exp(-np.abs(a))
    return np.where(a >= 0, 1 / (1 + e), e / (1 + e)).astype(a.dtype, copy=False)


def gru_cell(x: np.ndarray, h: np.ndarray, W_ih: np.ndarray, W_hh: np.ndarray, b_ih: np.ndarray | None = None,
             b_hh: np.ndarray | None = None) -> np.ndarray:
    """One GRU step, exactly torch.nn.GRUCell. The stacked weights hold the gates in the order r, z, n:
    W_ih = [W_ir; W_iz; W_in] (3H, D), W_hh = [W_hr; W_hz; W_hn] (3H, H), biases (3H,) or None (no bias).

        r  = σ(x W_irᵀ + b_ir + h W_hrᵀ + b_hr)
        z  = σ(x W_izᵀ + b_iz + h W_hzᵀ + b_hz)
        n  = tanh(x W_inᵀ + b_in + r ⊙ (h W_hnᵀ + b_hn))
        h' = (1 − z) ⊙ n + z ⊙ h

    x may be a batch (N, D) with h (N, H), or a single vector (D,) with h (H,). x, h, the weights and
    the biases share one dtype (float32 or float64), and the result has it; no input is modified.

    Shapes:
        x: (N, D) or (D,); h: (N, H) or (H,) -> h': the shape of h
    """
    raise NotImplementedError("gru_cell: split the stacked projections into r, z, n; mind where r goes")


def gru_sequence(xs: np.ndarray, h0: np.ndarray, W_ih: np.ndarray, W_hh: np.ndarray, b_ih: np.ndarray | None = None,
                 b_hh: np.ndarray | None = None) -> np.ndarray:
    """Run gru_cell over time-major inputs and return every hidden state, like torch.nn.GRU's output.

    Shapes:
        xs: (T, N, D); h0: (N, H) -> (T, N, H)
    """
    raise NotImplementedError("gru_sequence: h_t = gru_cell(xs[t], h_{t-1}, ...)")
