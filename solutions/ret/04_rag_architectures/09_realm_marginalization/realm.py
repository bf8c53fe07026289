"""Reference solution for ret-04-9."""
from __future__ import annotations

import torch


def retrieve_topk(query_emb: torch.Tensor, doc_emb: torch.Tensor, k: int) -> tuple[torch.Tensor, torch.Tensor]:
    n = doc_emb.shape[0]
    if k < 1 or k > n:
        raise ValueError(f"k={k} must be in 1..{n}")
    all_scores = query_emb @ doc_emb.T                                   # (B, N)
    order = torch.sort(all_scores, dim=-1, descending=True, stable=True).indices[:, :k]
    return order, torch.gather(all_scores, -1, order)


def marginal_log_likelihood(scores: torch.Tensor, log_lik: torch.Tensor) -> torch.Tensor:
    log_prior = torch.log_softmax(scores, dim=-1)
    return torch.logsumexp(log_prior + log_lik, dim=-1)


def doc_posterior(scores: torch.Tensor, log_lik: torch.Tensor) -> torch.Tensor:
    return torch.softmax(torch.log_softmax(scores, dim=-1) + log_lik, dim=-1)
