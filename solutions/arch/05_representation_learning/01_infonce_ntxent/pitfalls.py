"""Plausible wrong contrastive losses that the tests must reject."""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

import torch
import torch.nn.functional as F

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from contrastive import info_nce_from_scores


def _check(a: torch.Tensor, b: torch.Tensor, temperature: float) -> None:
    if a.shape != b.shape or a.dim() != 2 or temperature <= 0:
        raise ValueError("bad arguments")


@pitfall(replaces="info_nce_from_scores", why="softmax over dim 0: each key picks its query, not each query its key")
def softmax_over_columns(scores: torch.Tensor) -> torch.Tensor:
    if scores.dim() != 2 or scores.shape[0] != scores.shape[1]:
        raise ValueError("square")
    return -torch.diagonal(torch.log_softmax(scores, dim=0)).mean()


@pitfall(replaces="info_nce_from_scores", why="sums the per-anchor losses instead of averaging them")
def summed(scores: torch.Tensor) -> torch.Tensor:
    if scores.dim() != 2 or scores.shape[0] != scores.shape[1]:
        raise ValueError("square")
    return -torch.diagonal(torch.log_softmax(scores, dim=1)).sum()


@pitfall(replaces="info_nce", why="dot products of raw embeddings: no L2 normalisation")
def unnormalised(query: torch.Tensor, keys: torch.Tensor, temperature: float = 0.1) -> torch.Tensor:
    _check(query, keys, temperature)
    return info_nce_from_scores(query @ keys.T / temperature)


@pitfall(replaces="info_nce", why="multiplies by the temperature instead of dividing")
def times_temperature(query: torch.Tensor, keys: torch.Tensor, temperature: float = 0.1) -> torch.Tensor:
    _check(query, keys, temperature)
    return info_nce_from_scores(F.normalize(query, dim=1) @ F.normalize(keys, dim=1).T * temperature)


@pitfall(replaces="info_nce", why="normalises in place with .data, cutting the graph through the norm")
def detached_norm(query: torch.Tensor, keys: torch.Tensor, temperature: float = 0.1) -> torch.Tensor:
    _check(query, keys, temperature)
    norm = query.norm(dim=1, keepdim=True).detach()
    return info_nce_from_scores((query / norm) @ F.normalize(keys, dim=1).T / temperature)


def _sim(z1: torch.Tensor, z2: torch.Tensor, temperature: float) -> torch.Tensor:
    _check(z1, z2, temperature)
    z = F.normalize(torch.cat([z1, z2]), dim=1)
    return z @ z.T / temperature


@pitfall(replaces="nt_xent", why="keeps each anchor's similarity with itself in the denominator")
def self_not_masked(z1: torch.Tensor, z2: torch.Tensor, temperature: float = 0.5) -> torch.Tensor:
    n = z1.shape[0]
    return F.cross_entropy(_sim(z1, z2, temperature), torch.cat([torch.arange(n, 2 * n), torch.arange(n)]))


@pitfall(replaces="nt_xent", why="masks the self-similarity with 0 instead of -inf (exp(0) = 1 stays in the sum)")
def masked_with_zero(z1: torch.Tensor, z2: torch.Tensor, temperature: float = 0.5) -> torch.Tensor:
    n = z1.shape[0]
    sim = _sim(z1, z2, temperature).masked_fill(torch.eye(2 * n, dtype=torch.bool), 0.0)
    return F.cross_entropy(sim, torch.cat([torch.arange(n, 2 * n), torch.arange(n)]))


@pitfall(replaces="nt_xent", why="only the z1 views are anchors (N terms, not 2N)")
def one_direction(z1: torch.Tensor, z2: torch.Tensor, temperature: float = 0.5) -> torch.Tensor:
    n = z1.shape[0]
    sim = _sim(z1, z2, temperature).masked_fill(torch.eye(2 * n, dtype=torch.bool), float("-inf"))
    return F.cross_entropy(sim[:n], torch.arange(n, 2 * n))


@pitfall(replaces="nt_xent", why="contrasts z1 against z2 only (CLIP-style), dropping the same-view negatives")
def cross_view_only(z1: torch.Tensor, z2: torch.Tensor, temperature: float = 0.5) -> torch.Tensor:
    _check(z1, z2, temperature)
    s = F.normalize(z1, dim=1) @ F.normalize(z2, dim=1).T / temperature
    n = z1.shape[0]
    return (F.cross_entropy(s, torch.arange(n)) + F.cross_entropy(s.T, torch.arange(n))) / 2


@pitfall(replaces="mi_lower_bound", why="log(N - 1): counts only the negatives")
def log_negatives(scores: torch.Tensor) -> torch.Tensor:
    return math.log(max(scores.shape[0] - 1, 1)) - info_nce_from_scores(scores)
