"""ret-03-1: GloVe co-occurrence counts, weighting function and loss. Edit this file;
`grader check ret-03-1` tests it.
"""
from __future__ import annotations

import numpy as np
import torch


def cooccurrence(ids: list[int], vocab_size: int, window: int, symmetric: bool = True) -> np.ndarray:
    """GloVe's distance-weighted co-occurrence matrix of a token-id sequence.

    For every pair of positions p < p + d with 1 <= d <= window, X[ids[p], ids[p + d]] += 1 / d;
    with symmetric, also X[ids[p + d], ids[p]] += 1 / d (context on both sides).

    Shapes:
        ids: n ints in 0..vocab_size-1; returns: (vocab_size, vocab_size) float64

    Raises:
        ValueError: if window < 1.
    """
    raise NotImplementedError("cooccurrence: one pass per distance d, weight 1/d")


def glove_weight(x: np.ndarray, x_max: float = 100.0, alpha: float = 0.75) -> np.ndarray:
    """f(x) = (x / x_max) ** alpha for x < x_max, 1 from x_max on (so f(0) = 0).

    Shapes:
        x: any shape, >= 0; returns: the same shape, float64
    """
    raise NotImplementedError("glove_weight: the capped power law")


def glove_loss(w: torch.Tensor, w_tilde: torch.Tensor, b: torch.Tensor, b_tilde: torch.Tensor,
               x: np.ndarray, x_max: float = 100.0, alpha: float = 0.75) -> torch.Tensor:
    """J = sum over the non-zero X_ij of f(X_ij) * (w_i . w~_j + b_i + b~_j - ln X_ij) ** 2.

    Differentiable in w, w_tilde, b, b_tilde (torch ops only on them).

    Shapes:
        w, w_tilde: (V, dim); b, b_tilde: (V,); x: (V, V); returns: a scalar tensor in w's dtype
    """
    raise NotImplementedError("glove_loss: weighted least squares on the log counts")


def glove_grads(w: torch.Tensor, w_tilde: torch.Tensor, b: torch.Tensor, b_tilde: torch.Tensor,
                x: np.ndarray, x_max: float = 100.0,
                alpha: float = 0.75) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor, torch.Tensor]:
    """The gradients of glove_loss with respect to (w, w_tilde, b, b_tilde), written by hand
    (no autograd): with e_ij the error inside the square, dJ/dw_i = sum_j 2 f(X_ij) e_ij w~_j, ...

    Shapes:
        returns: tensors shaped like w, w_tilde, b, b_tilde
    """
    raise NotImplementedError("glove_grads: the chain rule, accumulated per row")
