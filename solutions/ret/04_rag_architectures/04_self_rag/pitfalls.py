"""Plausible wrong Self-RAG scoring that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import torch

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from self_rag import ISUSE_WEIGHTS, critique_scores, segment_scores


@pitfall(replaces="retrieve_decision", why="compares p([Retrieval]) itself with the threshold, not the yes/(yes+no) ratio")
def raw_probability(retrieve_logits: torch.Tensor, threshold: float = 0.2) -> torch.Tensor:
    if not 0 <= threshold <= 1:
        raise ValueError("threshold")
    return torch.softmax(retrieve_logits, dim=-1)[:, 0] > threshold


@pitfall(replaces="retrieve_decision", why="retrieves when the ratio equals the threshold (>= instead of >)")
def at_threshold(retrieve_logits: torch.Tensor, threshold: float = 0.2) -> torch.Tensor:
    if not 0 <= threshold <= 1:
        raise ValueError("threshold")
    p = torch.softmax(retrieve_logits, dim=-1)
    return p[:, 0] / (p[:, 0] + p[:, 1]) >= threshold


@pitfall(replaces="critique_scores", why="counts partial support fully: p(fully) + p(partially)")
def partial_counts_fully(isrel_logits: torch.Tensor, issup_logits: torch.Tensor, isuse_logits: torch.Tensor) -> dict:
    sup = torch.softmax(issup_logits, dim=-1)
    out = critique_scores(isrel_logits, issup_logits, isuse_logits)
    out["issup"] = sup[:, 0] + sup[:, 1]
    return out


@pitfall(replaces="critique_scores", why="uses the expected utility level 1..5 instead of the weights -1 .. 1")
def expected_level(isrel_logits: torch.Tensor, issup_logits: torch.Tensor, isuse_logits: torch.Tensor) -> dict:
    out = critique_scores(isrel_logits, issup_logits, isuse_logits)
    out["isuse"] = torch.softmax(isuse_logits, dim=-1) @ torch.arange(1, 6, dtype=isuse_logits.dtype)
    return out


@pitfall(replaces="critique_scores", why="softmax over the candidates (dim 0) instead of over each group's tokens")
def softmax_over_candidates(isrel_logits: torch.Tensor, issup_logits: torch.Tensor, isuse_logits: torch.Tensor) -> dict:
    rel, sup, use = (torch.softmax(t, dim=0) for t in (isrel_logits, issup_logits, isuse_logits))
    w = torch.tensor(ISUSE_WEIGHTS, dtype=isuse_logits.dtype)
    return {"isrel": rel[:, 0], "issup": sup[:, 0] + 0.5 * sup[:, 1], "isuse": use @ w}


@pitfall(replaces="segment_scores", why="applies the weights in the wrong order (w_use to issup, w_sup to isuse)")
def swapped_weights(seq_logprob: torch.Tensor, critiques: dict, weights: tuple[float, float, float] = (1.0, 1.0, 0.5)) -> torch.Tensor:
    w_rel, w_sup, w_use = weights
    return seq_logprob + w_rel * critiques["isrel"] + w_use * critiques["issup"] + w_sup * critiques["isuse"]


@pitfall(replaces="best_passage", why="picks the last of equally scored candidates")
def last_on_ties(seq_logprob: torch.Tensor, isrel_logits: torch.Tensor, issup_logits: torch.Tensor,
                 isuse_logits: torch.Tensor, weights: tuple[float, float, float] = (1.0, 1.0, 0.5)) -> int:
    s = segment_scores(seq_logprob, critique_scores(isrel_logits, issup_logits, isuse_logits), weights)
    return int(len(s) - 1 - torch.argmax(s.flip(0)))


@pitfall(replaces="best_passage", why="ranks by the segment's log-probability alone, ignoring the critiques")
def likelihood_only(seq_logprob: torch.Tensor, isrel_logits: torch.Tensor, issup_logits: torch.Tensor,
                    isuse_logits: torch.Tensor, weights: tuple[float, float, float] = (1.0, 1.0, 0.5)) -> int:
    return int(torch.argmax(seq_logprob))
