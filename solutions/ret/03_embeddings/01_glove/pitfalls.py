"""Plausible wrong GloVe code that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import torch

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from glove import glove_weight


@pitfall(replaces="cooccurrence", why="counts every pair in the window as 1 (no 1/d distance weighting)")
def unweighted(ids: list[int], vocab_size: int, window: int, symmetric: bool = True) -> np.ndarray:
    if window < 1:
        raise ValueError("window")
    x = np.zeros((vocab_size, vocab_size))
    a = np.asarray(ids, dtype=np.int64)
    for d in range(1, window + 1):
        np.add.at(x, (a[:-d], a[d:]), 1.0)
        if symmetric:
            np.add.at(x, (a[d:], a[:-d]), 1.0)
    return x


@pitfall(replaces="cooccurrence", why="fancy-index += instead of np.add.at: repeated pairs are counted once")
def buffered_add(ids: list[int], vocab_size: int, window: int, symmetric: bool = True) -> np.ndarray:
    if window < 1:
        raise ValueError("window")
    x = np.zeros((vocab_size, vocab_size))
    a = np.asarray(ids, dtype=np.int64)
    for d in range(1, window + 1):
        x[a[:-d], a[d:]] += 1.0 / d
        if symmetric:
            x[a[d:], a[:-d]] += 1.0 / d
    return x


@pitfall(replaces="cooccurrence", why="range(1, window): the farthest distance in the window is left out")
def window_off_by_one(ids: list[int], vocab_size: int, window: int, symmetric: bool = True) -> np.ndarray:
    if window < 1:
        raise ValueError("window")
    x = np.zeros((vocab_size, vocab_size))
    a = np.asarray(ids, dtype=np.int64)
    for d in range(1, window):
        np.add.at(x, (a[:-d], a[d:]), 1.0 / d)
        if symmetric:
            np.add.at(x, (a[d:], a[:-d]), 1.0 / d)
    return x


@pitfall(replaces="glove_weight", why="no cap: (x / x_max) ** alpha keeps growing past x_max")
def uncapped(x: np.ndarray, x_max: float = 100.0, alpha: float = 0.75) -> np.ndarray:
    return (np.asarray(x, dtype=np.float64) / x_max) ** alpha


@pitfall(replaces="glove_loss", why="includes the zero counts (log 0 replaced by 0): GloVe skips them")
def includes_zeros(w: torch.Tensor, w_tilde: torch.Tensor, b: torch.Tensor, b_tilde: torch.Tensor,
                   x: np.ndarray, x_max: float = 100.0, alpha: float = 0.75) -> torch.Tensor:
    f = torch.as_tensor(np.maximum(glove_weight(x, x_max, alpha), 1e-3), dtype=w.dtype)
    log_x = torch.as_tensor(np.log(np.where(x > 0, x, 1.0)), dtype=w.dtype)
    err = w @ w_tilde.T + b[:, None] + b_tilde[None, :] - log_x
    return (f * err**2).sum()


@pitfall(replaces="glove_loss", why="ln(1 + X) instead of ln X")
def log1p(w: torch.Tensor, w_tilde: torch.Tensor, b: torch.Tensor, b_tilde: torch.Tensor,
          x: np.ndarray, x_max: float = 100.0, alpha: float = 0.75) -> torch.Tensor:
    i, j = np.nonzero(x)
    f = torch.as_tensor(glove_weight(x[i, j], x_max, alpha), dtype=w.dtype)
    ii, jj = torch.as_tensor(i), torch.as_tensor(j)
    err = (w[ii] * w_tilde[jj]).sum(-1) + b[ii] + b_tilde[jj] - torch.as_tensor(np.log1p(x[i, j]), dtype=w.dtype)
    return (f * err**2).sum()


@pitfall(replaces="glove_grads", why="drops the factor 2 of the squared error")
def half_gradient(w: torch.Tensor, w_tilde: torch.Tensor, b: torch.Tensor, b_tilde: torch.Tensor,
                  x: np.ndarray, x_max: float = 100.0,
                  alpha: float = 0.75) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    i, j = np.nonzero(x)
    f = torch.as_tensor(glove_weight(x[i, j], x_max, alpha), dtype=w.dtype)
    ii, jj = torch.as_tensor(i), torch.as_tensor(j)
    err = (w[ii] * w_tilde[jj]).sum(-1) + b[ii] + b_tilde[jj] - torch.as_tensor(np.log(x[i, j]), dtype=w.dtype)
    g = f * err
    return (torch.zeros_like(w).index_add_(0, ii, g[:, None] * w_tilde[jj]),
            torch.zeros_like(w_tilde).index_add_(0, jj, g[:, None] * w[ii]),
            torch.zeros_like(b).index_add_(0, ii, g), torch.zeros_like(b_tilde).index_add_(0, jj, g))


@pitfall(replaces="glove_grads", why="assigns per-row gradients (w.grad[i] = ...) instead of accumulating over j")
def assigns_instead_of_accumulating(w: torch.Tensor, w_tilde: torch.Tensor, b: torch.Tensor, b_tilde: torch.Tensor,
                                    x: np.ndarray, x_max: float = 100.0,
                                    alpha: float = 0.75) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    i, j = np.nonzero(x)
    f = torch.as_tensor(glove_weight(x[i, j], x_max, alpha), dtype=w.dtype)
    ii, jj = torch.as_tensor(i), torch.as_tensor(j)
    err = (w[ii] * w_tilde[jj]).sum(-1) + b[ii] + b_tilde[jj] - torch.as_tensor(np.log(x[i, j]), dtype=w.dtype)
    g = 2 * f * err
    gw, gwt, gb, gbt = torch.zeros_like(w), torch.zeros_like(w_tilde), torch.zeros_like(b), torch.zeros_like(b_tilde)
    gw[ii] = g[:, None] * w_tilde[jj]
    gwt[jj] = g[:, None] * w[ii]
    gb[ii] = g
    gbt[jj] = g
    return gw, gwt, gb, gbt
