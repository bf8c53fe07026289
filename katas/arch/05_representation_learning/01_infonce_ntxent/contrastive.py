"""arch-05-1: InfoNCE and NT-Xent. Edit this file; `grader check arch-05-1` tests it."""
from __future__ import annotations

import math  # noqa: F401  (log N for the bound)

import torch
import torch.nn.functional as F  # noqa: F401


def info_nce_from_scores(scores: torch.Tensor) -> torch.Tensor:
    """InfoNCE loss of a critic's score matrix: scores[i, j] = f(x_i, y_j), positives on the diagonal.

    loss = -(1/N) sum_i log( exp(scores[i, i]) / sum_j exp(scores[i, j]) )   (row i is anchor x_i)

    Shapes:
        scores: (N, N)     returns: a scalar tensor, the dtype of scores

    Raises:
        ValueError: if scores is not a square matrix.
    """
    raise NotImplementedError("info_nce_from_scores")


def info_nce(query: torch.Tensor, keys: torch.Tensor, temperature: float = 0.1) -> torch.Tensor:
    """InfoNCE (CPC / MoCo form): keys[i] is query[i]'s positive, the other keys its negatives.

    scores[i, j] = cos(query_i, keys_j) / temperature, then info_nce_from_scores. The inputs are
    left unchanged; the loss is differentiable.

    Shapes:
        query, keys: (N, D)     returns: a scalar tensor, the dtype of query

    Raises:
        ValueError: if the shapes differ or are not 2-D, or temperature <= 0.
    """
    raise NotImplementedError("info_nce")


def nt_xent(z1: torch.Tensor, z2: torch.Tensor, temperature: float = 0.5) -> torch.Tensor:
    """SimCLR's NT-Xent loss over 2N views: z1[i] and z2[i] are two views of example i.

    Stack z = [z1; z2] (2N rows), s_ab = cos(z_a, z_b) / temperature. For every anchor a, its
    positive p(a) is the other view of the same example, and
        l_a = -log( exp(s_{a p(a)}) / sum_{b != a} exp(s_ab) )
    (the anchor itself is left out of the denominator). Return the mean of l_a over all 2N anchors.

    Shapes:
        z1, z2: (N, D)     returns: a scalar tensor, the dtype of z1

    Raises:
        ValueError: if the shapes differ or are not 2-D, or temperature <= 0.
    """
    raise NotImplementedError("nt_xent")


def mi_lower_bound(scores: torch.Tensor) -> torch.Tensor:
    """The InfoNCE bound on mutual information: I(X; Y) >= log N - info_nce_from_scores(scores).

    Shapes:
        scores: (N, N)     returns: a scalar tensor (nats)
    """
    raise NotImplementedError("mi_lower_bound")
