"""nlp-18-2: sparse attention patterns (local, strided, global tokens). Edit this file;
`grader check nlp-18-2` tests it."""
from __future__ import annotations

import math  # noqa: F401  (you will need it for sparse_attention)

import torch


def local_mask(seq_len: int, window: int, causal: bool = False) -> torch.Tensor:
    """Sliding-window pattern: query i may attend key j when |i - j| < window
    (causal: when 0 <= i - j < window).

    Shapes:
        returns: (seq_len, seq_len) torch.bool, True = may attend

    Raises:
        ValueError: if window < 1.
    """
    raise NotImplementedError("local_mask: compare a column of query positions with a row of key positions")


def strided_mask(seq_len: int, stride: int, causal: bool = False) -> torch.Tensor:
    """Strided pattern of the Sparse Transformer: query i may attend key j when (i - j) is a multiple of
    stride (causal: and j <= i).

    Shapes:
        returns: (seq_len, seq_len) torch.bool

    Raises:
        ValueError: if stride < 1.
    """
    raise NotImplementedError("strided_mask: (i - j) % stride == 0")


def global_mask(seq_len: int, n_global: int) -> torch.Tensor:
    """Longformer's global tokens: the first n_global positions attend to every position and every
    position attends to them; every position also attends to itself.

    Shapes:
        returns: (seq_len, seq_len) torch.bool

    Raises:
        ValueError: if n_global < 0.
    """
    raise NotImplementedError("global_mask: global rows, global columns and the diagonal")


def neighbors(mask: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Padded neighbour lists of a mask: row i of idx lists the keys query i may attend, ascending, then
    padding index 0; valid marks the real entries. m = the largest number of True in a row (m = 0
    for an empty sequence, T = 0). The mask is not modified.

    Shapes:
        mask: (T, T) bool
        returns: idx (T, m) int64, valid (T, m) bool
    """
    raise NotImplementedError("neighbors: the True columns of each row, padded to the longest row")


def sparse_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, idx: torch.Tensor,
                     valid: torch.Tensor) -> torch.Tensor:
    """Attention computed only on the allowed pairs: gather each query's m keys and values, scores
    q . k / sqrt(d), padding slots excluded from the softmax. Equal to dense attention with the mask,
    at O(T m d) instead of O(T^2 d) work. Every row has at least one valid slot. Same dtype as q;
    inputs not modified.

    Shapes:
        q, k, v: (..., T, d)
        idx, valid: (T, m) from neighbors
        returns: (..., T, d)
    """
    raise NotImplementedError("sparse_attention: gather k[..., idx, :], mask the padding, softmax over m")
