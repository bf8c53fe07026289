"""Plausible wrong RNNs and BPTT passes that the tests must reject."""
from __future__ import annotations

from typing import Any

import numpy as np

from grader.pitfalls import pitfall


def _bptt(dhs: np.ndarray, cache: dict[str, Any], *, carry: bool = True, use_h_t: bool = False,
          forward_order: bool = False, pre_activation_mask: bool = False) -> tuple[np.ndarray, ...]:
    x, h0, hs, W_ih, W_hh = cache["x"], cache["h0"], cache["hs"], cache["W_ih"], cache["W_hh"]
    T = x.shape[0]
    dx, dW_ih, dW_hh = np.zeros_like(x), np.zeros_like(W_ih), np.zeros_like(W_hh)
    db, dh_next = np.zeros(W_hh.shape[0]), np.zeros_like(h0)
    for t in (range(T) if forward_order else reversed(range(T))):
        dh = dhs[t] + (dh_next if carry else 0.0)
        h = hs[t]
        if cache["f"] == "tanh":
            da = dh * (1 - h * h) if not pre_activation_mask else dh * (1 - np.tanh(h) ** 2)
        else:
            da = dh * (h > 0)
        h_prev = hs[t - 1] if t > 0 else h0
        dx[t] = da @ W_ih
        dW_ih += da.T @ x[t]
        dW_hh += da.T @ (h if use_h_t else h_prev)
        db += da.sum(axis=0)
        dh_next = da @ W_hh
    return dx, dh_next, dW_ih, dW_hh, db, db.copy()


@pitfall(replaces="rnn_backward", why="no recurrence in the backward pass: each step only sees its own dhs[t]")
def truncated_to_one_step(dhs: np.ndarray, cache: dict[str, Any]) -> tuple[np.ndarray, ...]:
    return _bptt(dhs, cache, carry=False)


@pitfall(replaces="rnn_backward", why="dW_hh accumulates da·h_t instead of da·h_{t−1}")
def dW_hh_with_current_state(dhs: np.ndarray, cache: dict[str, Any]) -> tuple[np.ndarray, ...]:
    return _bptt(dhs, cache, use_h_t=True)


@pitfall(replaces="rnn_backward", why="walks time forwards in the backward pass")
def forward_in_time(dhs: np.ndarray, cache: dict[str, Any]) -> tuple[np.ndarray, ...]:
    return _bptt(dhs, cache, forward_order=True)


@pitfall(replaces="rnn_backward", why="tanh' as 1 − tanh(h)²: applies tanh to the stored output again")
def tanh_of_output(dhs: np.ndarray, cache: dict[str, Any]) -> tuple[np.ndarray, ...]:
    return _bptt(dhs, cache, pre_activation_mask=True)


@pitfall(replaces="rnn_forward", why="starts from zeros instead of the given h0")
def ignores_h0(x: np.ndarray, h0: np.ndarray, W_ih: np.ndarray, W_hh: np.ndarray, b_ih: np.ndarray,
               b_hh: np.ndarray, nonlinearity: str = "tanh") -> tuple[np.ndarray, dict[str, Any]]:
    if nonlinearity not in ("tanh", "relu"):
        raise ValueError(nonlinearity)
    h, hs = np.zeros_like(h0), []
    for t in range(x.shape[0]):
        a = x[t] @ W_ih.T + b_ih + h @ W_hh.T + b_hh
        h = np.tanh(a) if nonlinearity == "tanh" else np.maximum(a, 0.0)
        hs.append(h)
    hs = np.stack(hs)
    return hs, {"x": x, "h0": np.zeros_like(h0), "hs": hs, "W_ih": W_ih, "W_hh": W_hh, "f": nonlinearity}


@pitfall(replaces="rnn_forward", why="always uses tanh, whatever nonlinearity says")
def always_tanh(x: np.ndarray, h0: np.ndarray, W_ih: np.ndarray, W_hh: np.ndarray, b_ih: np.ndarray,
                b_hh: np.ndarray, nonlinearity: str = "tanh") -> tuple[np.ndarray, dict[str, Any]]:
    if nonlinearity not in ("tanh", "relu"):
        raise ValueError(nonlinearity)
    h, hs = h0, []
    for t in range(x.shape[0]):
        h = np.tanh(x[t] @ W_ih.T + b_ih + h @ W_hh.T + b_hh)
        hs.append(h)
    hs = np.stack(hs)
    return hs, {"x": x, "h0": h0, "hs": hs, "W_ih": W_ih, "W_hh": W_hh, "f": "tanh"}


@pitfall(replaces="rnn_forward", why="W_hh applied untransposed: h W_hh instead of h W_hhᵀ")
def untransposed_recurrent(x: np.ndarray, h0: np.ndarray, W_ih: np.ndarray, W_hh: np.ndarray, b_ih: np.ndarray,
                           b_hh: np.ndarray, nonlinearity: str = "tanh") -> tuple[np.ndarray, dict[str, Any]]:
    if nonlinearity not in ("tanh", "relu"):
        raise ValueError(nonlinearity)
    h, hs = h0, []
    for t in range(x.shape[0]):
        a = x[t] @ W_ih.T + b_ih + h @ W_hh + b_hh
        h = np.tanh(a) if nonlinearity == "tanh" else np.maximum(a, 0.0)
        hs.append(h)
    hs = np.stack(hs)
    return hs, {"x": x, "h0": h0, "hs": hs, "W_ih": W_ih, "W_hh": W_hh.T, "f": nonlinearity}
