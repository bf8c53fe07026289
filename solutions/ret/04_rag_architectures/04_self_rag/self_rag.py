"""Reference solution for ret-04-4."""
from __future__ import annotations

import torch

RETRIEVE_TOKENS = ("[Retrieval]", "[No Retrieval]", "[Continue to Use Evidence]")
ISREL_TOKENS = ("[Relevant]", "[Irrelevant]")
ISSUP_TOKENS = ("[Fully supported]", "[Partially supported]", "[No support / Contradictory]")
ISUSE_TOKENS = ("[Utility:1]", "[Utility:2]", "[Utility:3]", "[Utility:4]", "[Utility:5]")
ISUSE_WEIGHTS = (-1.0, -0.5, 0.0, 0.5, 1.0)


def retrieve_decision(retrieve_logits: torch.Tensor, threshold: float = 0.2) -> torch.Tensor:
    if not 0 <= threshold <= 1:
        raise ValueError(f"threshold must be in [0, 1], got {threshold}")
    p = torch.softmax(retrieve_logits, dim=-1)
    ratio = p[:, 0] / (p[:, 0] + p[:, 1])
    return ratio > threshold


def critique_scores(isrel_logits: torch.Tensor, issup_logits: torch.Tensor,
                    isuse_logits: torch.Tensor) -> dict[str, torch.Tensor]:
    rel = torch.softmax(isrel_logits, dim=-1)
    sup = torch.softmax(issup_logits, dim=-1)
    use = torch.softmax(isuse_logits, dim=-1)
    weights = torch.tensor(ISUSE_WEIGHTS, dtype=isuse_logits.dtype)
    return {"isrel": rel[:, 0], "issup": sup[:, 0] + 0.5 * sup[:, 1], "isuse": use @ weights}


def segment_scores(seq_logprob: torch.Tensor, critiques: dict[str, torch.Tensor],
                   weights: tuple[float, float, float] = (1.0, 1.0, 0.5)) -> torch.Tensor:
    w_rel, w_sup, w_use = weights
    return seq_logprob + w_rel * critiques["isrel"] + w_sup * critiques["issup"] + w_use * critiques["isuse"]


def best_passage(seq_logprob: torch.Tensor, isrel_logits: torch.Tensor, issup_logits: torch.Tensor,
                 isuse_logits: torch.Tensor, weights: tuple[float, float, float] = (1.0, 1.0, 0.5)) -> int:
    scores = segment_scores(seq_logprob, critique_scores(isrel_logits, issup_logits, isuse_logits), weights)
    return int(torch.argmax(scores))
