"""Plausible wrong dense layers that the tests must reject."""
from __future__ import annotations

import numpy as np

from grader.pitfalls import pitfall


@pitfall(replaces="dense_backward", why="dW = xᵀ dy: the (d_in, d_out) gradient of x W, transposed for W of shape (out, in)")
def transposed_dW(dy: np.ndarray, x: np.ndarray, W: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    dy2, x2 = dy.reshape(-1, dy.shape[-1]), x.reshape(-1, x.shape[-1])
    dW = x2.T @ dy2
    return dy @ W, (dW.T if dW.shape != W.shape else dW), dy2.sum(axis=0)


@pitfall(replaces="dense_backward", why="averages db (and dW) over the batch instead of summing")
def mean_over_batch(dy: np.ndarray, x: np.ndarray, W: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    dy2, x2 = dy.reshape(-1, dy.shape[-1]), x.reshape(-1, x.shape[-1])
    return dy @ W, dy2.T @ x2 / len(dy2), dy2.mean(axis=0)


@pitfall(replaces="dense_backward", why="sums over the first axis only, so extra batch axes are not reduced")
def first_axis_only(dy: np.ndarray, x: np.ndarray, W: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if dy.ndim == 1:
        return dy @ W, np.outer(dy, x), dy.copy()
    dW = np.einsum("i...o,i...d->...od", dy, x)
    while dW.ndim > 2:
        dW = dW[0]
    db = dy.sum(axis=0)
    while db.ndim > 1:
        db = db[0]
    return dy @ W, dW, db


@pitfall(replaces="dense_backward", why="dx = dy Wᵀ (the forward's weight orientation reused)")
def dx_with_WT(dy: np.ndarray, x: np.ndarray, W: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    dy2, x2 = dy.reshape(-1, dy.shape[-1]), x.reshape(-1, x.shape[-1])
    Wsq = W.T if W.shape[0] == W.shape[1] else W
    return dy @ Wsq, dy2.T @ x2, dy2.sum(axis=0)


@pitfall(replaces="dense_forward", why="adds the bias in place into a float64 buffer: upcasts float32 inputs")
def upcasting_forward(x: np.ndarray, W: np.ndarray, b: np.ndarray | None = None) -> np.ndarray:
    y = np.zeros((*x.shape[:-1], W.shape[0]))
    y += x @ W.T
    if b is not None:
        y += b
    return y


@pitfall(replaces="dense_backward", why="db computed with an in-place sum into dy: the caller's gradient is overwritten")
def clobbers_dy(dy: np.ndarray, x: np.ndarray, W: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    dy2, x2 = dy.reshape(-1, dy.shape[-1]), x.reshape(-1, x.shape[-1])
    dx, dW = dy @ W, dy2.T @ x2
    np.cumsum(dy2, axis=0, out=dy2)
    return dx, dW, dy2[-1].copy()


@pitfall(replaces="dense_forward", why="ignores b=None and always adds a bias of ones")
def bias_always(x: np.ndarray, W: np.ndarray, b: np.ndarray | None = None) -> np.ndarray:
    return x @ W.T + (b if b is not None else np.ones(W.shape[0], dtype=x.dtype))
