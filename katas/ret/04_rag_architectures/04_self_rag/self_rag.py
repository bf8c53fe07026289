"""ret-04-4: Self-RAG retrieve-on-demand decisions and reflection scores. Edit this file; `grader check ret-04-4` tests it."""
from __future__ import annotations

import torch

RETRIEVE_TOKENS = ("[Retrieval]", "[No Retrieval]", "[Continue to Use Evidence]")
ISREL_TOKENS = ("[Relevant]", "[Irrelevant]")
ISSUP_TOKENS = ("[Fully supported]", "[Partially supported]", "[No support / Contradictory]")
ISUSE_TOKENS = ("[Utility:1]", "[Utility:2]", "[Utility:3]", "[Utility:4]", "[Utility:5]")
ISUSE_WEIGHTS = (-1.0, -0.5, 0.0, 0.5, 1.0)


def retrieve_decision(retrieve_logits: torch.Tensor, threshold: float = 0.2) -> torch.Tensor:
    """Retrieve on demand: retrieve when p([Retrieval]) / (p([Retrieval]) + p([No Retrieval])) > threshold.

    The probabilities are the softmax of the logits of the three RETRIEVE_TOKENS (in that order);
    "[Continue to Use Evidence]" takes part in the softmax but not in the ratio. threshold = 0 retrieves
    whenever p([Retrieval]) > 0, threshold = 1 never.

    Shapes:
        retrieve_logits: (B, 3) float; returns: (B,) bool

    Raises:
        ValueError: if threshold is outside [0, 1].
    """
    raise NotImplementedError("retrieve_decision: softmax, ratio of yes over yes + no, compare")


def critique_scores(isrel_logits: torch.Tensor, issup_logits: torch.Tensor,
                    isuse_logits: torch.Tensor) -> dict[str, torch.Tensor]:
    """The three critique scores of each candidate passage's segment (Self-RAG, section 3.3).

    Each group's probabilities are the softmax over that group's tokens (in the orders above):
    - "isrel": p([Relevant]);
    - "issup": p([Fully supported]) + 0.5 * p([Partially supported]);
    - "isuse": sum_i ISUSE_WEIGHTS[i] * p([Utility:i+1]).

    Shapes:
        isrel_logits: (N, 2); issup_logits: (N, 3); isuse_logits: (N, 5)
        returns: {"isrel": (N,), "issup": (N,), "isuse": (N,)}, in the logits' dtype
    """
    raise NotImplementedError("critique_scores: a softmax per group, then the desirable-token weights")


def segment_scores(seq_logprob: torch.Tensor, critiques: dict[str, torch.Tensor],
                   weights: tuple[float, float, float] = (1.0, 1.0, 0.5)) -> torch.Tensor:
    """Self-RAG's segment score S = log p(segment) + w_rel * isrel + w_sup * issup + w_use * isuse.

    Shapes:
        seq_logprob: (N,); critiques: as critique_scores returns; returns: (N,)
    """
    raise NotImplementedError("segment_scores: the weighted sum")


def best_passage(seq_logprob: torch.Tensor, isrel_logits: torch.Tensor, issup_logits: torch.Tensor,
                 isuse_logits: torch.Tensor, weights: tuple[float, float, float] = (1.0, 1.0, 0.5)) -> int:
    """The index of the candidate (one per retrieved passage) with the highest segment score; the
    lowest index among equal scores."""
    raise NotImplementedError("best_passage: critique_scores, segment_scores, argmax")
