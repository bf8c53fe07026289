"""nlp-03-1: scaled dot-product attention by hand. Edit this file; `grader check nlp-03-1` tests it."""
from __future__ import annotations

import math  # noqa: F401  (you will want math.sqrt)

import torch


def attend(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """One query token attends over n key/value tokens.

    scores[i] = q · k[i] / sqrt(d),   weights = softmax(scores),   output = Σ_i weights[i] v[i]

    The softmax must stay finite for large scores (|scores| in the thousands).

    Shapes:
        q: (d,)      the query of one token
        k: (n, d)    one key per token, n >= 1
        v: (n, dv)   one value per token
        returns: (output (dv,), weights (n,)), in the dtype of the inputs
    """
    raise NotImplementedError("attend: score the keys, softmax, and mix the values")


def scaled_dot_product_attention(
    q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, mask: torch.Tensor | None = None
) -> tuple[torch.Tensor, torch.Tensor]:
    """Batched attention: every query row attends over all key rows of the same batch entry.

    weights = softmax(q kᵀ / sqrt(d) with disallowed positions set to -inf, over the keys)
    output  = weights v

    Shapes:
        q: (..., Lq, d)
        k: (..., Lk, d)
        v: (..., Lk, dv)
        mask: optional bool tensor broadcastable to (..., Lq, Lk); True = this query may attend
              to this key (the convention of torch's scaled_dot_product_attention). Every query
              row has at least one True.
        returns: (output (..., Lq, dv), weights (..., Lq, Lk)), in the dtype of the inputs
    """
    raise NotImplementedError("scaled_dot_product_attention: the same thing with matrices")
