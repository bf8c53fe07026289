"""Plausible wrong Sinkhorn-Knopp codes and SwAV losses that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import torch

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from swav import sinkhorn_knopp


def _check(scores: torch.Tensor, epsilon: float, n_iters: int) -> None:
    if scores.dim() != 2 or epsilon <= 0 or n_iters < 1:
        raise ValueError("bad arguments")


@pitfall(replaces="sinkhorn_knopp", why="normalises samples first and prototypes last: rows no longer sum to 1")
def samples_first(scores: torch.Tensor, epsilon: float = 0.05, n_iters: int = 3) -> torch.Tensor:
    _check(scores, epsilon, n_iters)
    with torch.no_grad():
        q = torch.exp(scores / epsilon).T
        q = q / q.sum()
        k, b = q.shape
        for _ in range(n_iters):
            q = q / q.sum(dim=0, keepdim=True) / b
            q = q / q.sum(dim=1, keepdim=True) / k
        return (q * b).T


@pitfall(replaces="sinkhorn_knopp", why="forgets the 1/K and 1/B targets: prototypes and samples each normalised to 1")
def unit_marginals(scores: torch.Tensor, epsilon: float = 0.05, n_iters: int = 3) -> torch.Tensor:
    _check(scores, epsilon, n_iters)
    with torch.no_grad():
        q = torch.exp(scores / epsilon).T
        for _ in range(n_iters):
            q = q / q.sum(dim=1, keepdim=True)
            q = q / q.sum(dim=0, keepdim=True)
        return (q * q.shape[1]).T


@pitfall(replaces="sinkhorn_knopp", why="exp(scores) without the 1/epsilon sharpening")
def no_epsilon(scores: torch.Tensor, epsilon: float = 0.05, n_iters: int = 3) -> torch.Tensor:
    _check(scores, epsilon, n_iters)
    with torch.no_grad():
        q = torch.exp(scores).T
        q = q / q.sum()
        k, b = q.shape
        for _ in range(n_iters):
            q = q / q.sum(dim=1, keepdim=True) / k
            q = q / q.sum(dim=0, keepdim=True) / b
        return (q * b).T


@pitfall(replaces="sinkhorn_knopp", why="plain softmax codes: no equipartition at all")
def softmax_codes(scores: torch.Tensor, epsilon: float = 0.05, n_iters: int = 3) -> torch.Tensor:
    _check(scores, epsilon, n_iters)
    return torch.softmax(scores.detach() / epsilon, dim=1)


@pitfall(replaces="sinkhorn_knopp", why="lets gradients flow through the codes")
def codes_with_grad(scores: torch.Tensor, epsilon: float = 0.05, n_iters: int = 3) -> torch.Tensor:
    _check(scores, epsilon, n_iters)
    q = torch.exp(scores / epsilon).T
    q = q / q.sum()
    k, b = q.shape
    for _ in range(n_iters):
        q = q / q.sum(dim=1, keepdim=True) / k
        q = q / q.sum(dim=0, keepdim=True) / b
    return (q * b).T


@pitfall(replaces="swav_loss", why="no swap: each view predicts its own codes")
def unswapped(scores_1: torch.Tensor, scores_2: torch.Tensor, temperature: float = 0.1, epsilon: float = 0.05,
              n_iters: int = 3) -> torch.Tensor:
    if scores_1.shape != scores_2.shape or temperature <= 0:
        raise ValueError("bad arguments")
    q1, q2 = sinkhorn_knopp(scores_1, epsilon, n_iters), sinkhorn_knopp(scores_2, epsilon, n_iters)
    p1 = torch.log_softmax(scores_1 / temperature, dim=1)
    p2 = torch.log_softmax(scores_2 / temperature, dim=1)
    return -0.5 * ((q1 * p1).sum(dim=1) + (q2 * p2).sum(dim=1)).mean()


@pitfall(replaces="swav_loss", why="softmax over the batch axis instead of over prototypes")
def softmax_over_batch(scores_1: torch.Tensor, scores_2: torch.Tensor, temperature: float = 0.1,
                       epsilon: float = 0.05, n_iters: int = 3) -> torch.Tensor:
    if scores_1.shape != scores_2.shape or temperature <= 0:
        raise ValueError("bad arguments")
    q1, q2 = sinkhorn_knopp(scores_1, epsilon, n_iters), sinkhorn_knopp(scores_2, epsilon, n_iters)
    p1 = torch.log_softmax(scores_1 / temperature, dim=0)
    p2 = torch.log_softmax(scores_2 / temperature, dim=0)
    return -0.5 * ((q2 * p1).sum(dim=1) + (q1 * p2).sum(dim=1)).mean()
