"""Reference solution for dl-05-1."""
from __future__ import annotations

from typing import Any

import numpy as np


def rnn_forward(x: np.ndarray, h0: np.ndarray, W_ih: np.ndarray, W_hh: np.ndarray, b_ih: np.ndarray,
                b_hh: np.ndarray, nonlinearity: str = "tanh") -> tuple[np.ndarray, dict[str, Any]]:
    if nonlinearity not in ("tanh", "relu"):
        raise ValueError(f"nonlinearity must be 'tanh' or 'relu', got {nonlinearity!r}")
    T = x.shape[0]
    hs = np.empty((T, h0.shape[0], h0.shape[1]))
    h = h0
    for t in range(T):
        a = x[t] @ W_ih.T + b_ih + h @ W_hh.T + b_hh
        h = np.tanh(a) if nonlinearity == "tanh" else np.maximum(a, 0.0)
        hs[t] = h
    return hs, {"x": x, "h0": h0, "hs": hs, "W_ih": W_ih, "W_hh": W_hh, "f": nonlinearity}


def rnn_backward(dhs: np.ndarray, cache: dict[str, Any]) -> tuple[np.ndarray, ...]:
    x, h0, hs, W_ih, W_hh = cache["x"], cache["h0"], cache["hs"], cache["W_ih"], cache["W_hh"]
    T = x.shape[0]
    dx = np.zeros_like(x, dtype=np.float64)
    dW_ih, dW_hh = np.zeros_like(W_ih, dtype=np.float64), np.zeros_like(W_hh, dtype=np.float64)
    db = np.zeros(W_hh.shape[0])
    dh_next = np.zeros_like(h0, dtype=np.float64)
    for t in reversed(range(T)):
        dh = dhs[t] + dh_next
        h = hs[t]
        da = dh * (1 - h * h) if cache["f"] == "tanh" else dh * (h > 0)
        h_prev = hs[t - 1] if t > 0 else h0
        dx[t] = da @ W_ih
        dW_ih += da.T @ x[t]
        dW_hh += da.T @ h_prev
        db += da.sum(axis=0)
        dh_next = da @ W_hh
    return dx, dh_next, dW_ih, dW_hh, db, db.copy()
