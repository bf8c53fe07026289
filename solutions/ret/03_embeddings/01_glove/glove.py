"""Reference solution for ret-03-1."""
from __future__ import annotations

import numpy as np
import torch


def cooccurrence(ids: list[int], vocab_size: int, window: int, symmetric: bool = True) -> np.ndarray:
    if window < 1:
        raise ValueError(f"window must be >= 1, got {window}")
    x = np.zeros((vocab_size, vocab_size))
    ids_arr = np.asarray(ids, dtype=np.int64)
    for d in range(1, window + 1):
        left, right = ids_arr[:-d], ids_arr[d:]
        np.add.at(x, (left, right), 1.0 / d)
        if symmetric:
            np.add.at(x, (right, left), 1.0 / d)
    return x


def glove_weight(x: np.ndarray, x_max: float = 100.0, alpha: float = 0.75) -> np.ndarray:
    x = np.asarray(x)
    return np.where(x < x_max, (x / x_max) ** alpha, 1.0)


def glove_loss(w: torch.Tensor, w_tilde: torch.Tensor, b: torch.Tensor, b_tilde: torch.Tensor,
               x: np.ndarray, x_max: float = 100.0, alpha: float = 0.75) -> torch.Tensor:
    i, j = np.nonzero(x)
    f = torch.as_tensor(glove_weight(x[i, j], x_max, alpha), dtype=w.dtype)
    log_x = torch.as_tensor(np.log(x[i, j]), dtype=w.dtype)
    ii, jj = torch.as_tensor(i), torch.as_tensor(j)
    err = (w[ii] * w_tilde[jj]).sum(-1) + b[ii] + b_tilde[jj] - log_x
    return (f * err**2).sum()


def glove_grads(w: torch.Tensor, w_tilde: torch.Tensor, b: torch.Tensor, b_tilde: torch.Tensor,
                x: np.ndarray, x_max: float = 100.0,
                alpha: float = 0.75) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    i, j = np.nonzero(x)
    f = torch.as_tensor(glove_weight(x[i, j], x_max, alpha), dtype=w.dtype)
    log_x = torch.as_tensor(np.log(x[i, j]), dtype=w.dtype)
    ii, jj = torch.as_tensor(i), torch.as_tensor(j)
    err = (w[ii] * w_tilde[jj]).sum(-1) + b[ii] + b_tilde[jj] - log_x
    g = 2 * f * err                                                       # dJ / d(err) per pair
    gw = torch.zeros_like(w).index_add_(0, ii, g[:, None] * w_tilde[jj])
    gwt = torch.zeros_like(w_tilde).index_add_(0, jj, g[:, None] * w[ii])
    gb = torch.zeros_like(b).index_add_(0, ii, g)
    gbt = torch.zeros_like(b_tilde).index_add_(0, jj, g)
    return gw, gwt, gb, gbt
