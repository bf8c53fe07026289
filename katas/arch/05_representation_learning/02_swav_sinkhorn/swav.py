"""arch-05-2: SwAV Sinkhorn-Knopp assignments. Edit this file; `grader check arch-05-2` tests it."""
from __future__ import annotations

import torch


def sinkhorn_knopp(scores: torch.Tensor, epsilon: float = 0.05, n_iters: int = 3) -> torch.Tensor:
    """SwAV's soft cluster codes: an equipartitioned, entropy-regularised assignment.

    Work on Q = exp(scores / epsilon)^T (K × B), divided by its total. Then n_iters times:
    divide each row (prototype) by its sum and by K, then each column (sample) by its sum and by
    B. Return (B · Q)^T, so every sample's codes sum to 1 and, as n_iters grows, every prototype
    receives B / K of the total. (The division by the total and the factors 1/K, 1/B are uniform
    scalings that the next normalisation cancels: they only keep the numbers in range.) No gradient flows through the result; the input is left unchanged.

    Shapes:
        scores: (B, K) prototype scores (cosines, |scores| <= 1)     returns: (B, K), the dtype of scores

    Raises:
        ValueError: if scores is not 2-D, epsilon <= 0 or n_iters < 1.
    """
    raise NotImplementedError("sinkhorn_knopp: alternate prototype and sample normalisation")


def swav_loss(scores_1: torch.Tensor, scores_2: torch.Tensor, temperature: float = 0.1, epsilon: float = 0.05,
              n_iters: int = 3) -> torch.Tensor:
    """SwAV's swapped prediction loss for two views of a batch.

    q_v = sinkhorn_knopp(scores_v, epsilon, n_iters) (targets, no gradient), p_v = softmax(scores_v /
    temperature) over prototypes. Predict each view's codes from the other view:
        loss = -(1/2) mean_i [ sum_k q_2[i, k] log p_1[i, k] + sum_k q_1[i, k] log p_2[i, k] ].
    The inputs are left unchanged.

    Shapes:
        scores_1, scores_2: (B, K)     returns: a scalar tensor

    Raises:
        ValueError: if the shapes differ, temperature <= 0, or as sinkhorn_knopp.
    """
    raise NotImplementedError("swav_loss: swapped prediction")
