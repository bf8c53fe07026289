"""Reference solution for arch-05-2."""
from __future__ import annotations

import torch


def sinkhorn_knopp(scores: torch.Tensor, epsilon: float = 0.05, n_iters: int = 3) -> torch.Tensor:
    if scores.dim() != 2:
        raise ValueError("scores must be (B, K)")
    if epsilon <= 0 or n_iters < 1:
        raise ValueError("epsilon must be positive and n_iters at least 1")
    # The released code also divides by the total, by K and by B: uniform factors that the next
    # normalisation cancels, so they only keep the numbers in range.
    q = torch.exp(scores.detach() / epsilon).T        # (K, B)
    for _ in range(n_iters):
        q = q / q.sum(dim=1, keepdim=True)     # prototypes: equal mass each
        q = q / q.sum(dim=0)                   # samples: codes sum to 1
    return q.T


def swav_loss(scores_1: torch.Tensor, scores_2: torch.Tensor, temperature: float = 0.1, epsilon: float = 0.05,
              n_iters: int = 3) -> torch.Tensor:
    if scores_1.shape != scores_2.shape:
        raise ValueError("the two views' scores must have the same shape")
    if temperature <= 0:
        raise ValueError("temperature must be positive")
    q1 = sinkhorn_knopp(scores_1.detach(), epsilon, n_iters)
    q2 = sinkhorn_knopp(scores_2.detach(), epsilon, n_iters)
    p1 = torch.log_softmax(scores_1 / temperature, dim=1)
    p2 = torch.log_softmax(scores_2 / temperature, dim=1)
    return -0.5 * ((q2 * p1).sum(dim=1) + (q1 * p2).sum(dim=1)).mean()
