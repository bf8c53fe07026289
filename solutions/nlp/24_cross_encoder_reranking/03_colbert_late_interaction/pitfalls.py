"""Plausible wrong late-interaction code that the tests must reject."""
from __future__ import annotations

from collections.abc import Sequence

import torch

from grader.pitfalls import pitfall


@pitfall(replaces="maxsim_scores", why="max over query tokens and sum over passage tokens (axes swapped)")
def swapped_axes(q: torch.Tensor, q_mask: torch.Tensor, p: torch.Tensor, p_mask: torch.Tensor) -> torch.Tensor:
    nq, lq, d = q.shape
    n_p, lp, _ = p.shape
    sim = (q.reshape(-1, d) @ p.reshape(-1, d).T).reshape(nq, lq, n_p, lp)
    sim = sim.masked_fill(~q_mask[:, :, None, None], float("-inf"))
    return (sim.amax(1) * p_mask[None]).sum(-1)


@pitfall(replaces="maxsim_scores", why="padding passage tokens take part in the max (zeros can win)")
def ignores_passage_mask(q: torch.Tensor, q_mask: torch.Tensor, p: torch.Tensor, p_mask: torch.Tensor) -> torch.Tensor:
    nq, lq, d = q.shape
    n_p, lp, _ = p.shape
    sim = (q.reshape(-1, d) @ p.reshape(-1, d).T).reshape(nq, lq, n_p, lp)
    return (sim.amax(-1) * q_mask[:, :, None]).sum(1)


@pitfall(replaces="maxsim_scores", why="mean over query tokens instead of the sum")
def mean_over_query(q: torch.Tensor, q_mask: torch.Tensor, p: torch.Tensor, p_mask: torch.Tensor) -> torch.Tensor:
    nq, lq, d = q.shape
    n_p, lp, _ = p.shape
    sim = (q.reshape(-1, d) @ p.reshape(-1, d).T).reshape(nq, lq, n_p, lp)
    best = sim.masked_fill(~p_mask[None, None], float("-inf")).amax(-1)
    return (best * q_mask[:, :, None]).sum(1) / q_mask.sum(1, keepdim=True).clamp(min=1)


@pitfall(replaces="index_bytes", why="counts the longest passage for every passage (padded storage)")
def padded(passage_lengths: Sequence[int], dim: int, itemsize: int, late_interaction: bool) -> int:
    if dim < 1 or itemsize < 1:
        raise ValueError("sizes")
    per = max(passage_lengths) if late_interaction else 1
    return len(passage_lengths) * per * dim * itemsize
