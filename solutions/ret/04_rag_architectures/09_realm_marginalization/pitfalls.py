"""Plausible wrong REALM marginalizations that the tests must reject."""
from __future__ import annotations

import torch

from grader.pitfalls import pitfall


@pitfall(replaces="retrieve_topk", why="returns the k smallest inner products (ascending sort)")
def ascending(query_emb: torch.Tensor, doc_emb: torch.Tensor, k: int) -> tuple[torch.Tensor, torch.Tensor]:
    if k < 1 or k > doc_emb.shape[0]:
        raise ValueError("k")
    s = query_emb @ doc_emb.T
    order = torch.sort(s, dim=-1, stable=True).indices[:, :k]
    return order, torch.gather(s, -1, order)


@pitfall(replaces="retrieve_topk", why="flips an ascending sort: equal scores come out highest id first")
def reversed_ties(query_emb: torch.Tensor, doc_emb: torch.Tensor, k: int) -> tuple[torch.Tensor, torch.Tensor]:
    if k < 1 or k > doc_emb.shape[0]:
        raise ValueError("k")
    s = query_emb @ doc_emb.T
    order = torch.sort(s, dim=-1, stable=True).indices.flip(-1)[:, :k]
    return order, torch.gather(s, -1, order)


@pitfall(replaces="marginal_log_likelihood", why="log(sum(prior * exp(log_lik))): exp(-1000) underflows to 0, log gives -inf")
def naive_sum(scores: torch.Tensor, log_lik: torch.Tensor) -> torch.Tensor:
    return torch.log((torch.softmax(scores, dim=-1) * torch.exp(log_lik)).sum(dim=-1))


@pitfall(replaces="marginal_log_likelihood", why="expected log-likelihood sum_z p(z) log p(y|z): Jensen's lower bound, not the marginal")
def expected_log_lik(scores: torch.Tensor, log_lik: torch.Tensor) -> torch.Tensor:
    return (torch.softmax(scores, dim=-1) * log_lik).sum(dim=-1)


@pitfall(replaces="marginal_log_likelihood", why="keeps only the top document: log p(z*|x) + log p(y|x,z*)")
def best_document_only(scores: torch.Tensor, log_lik: torch.Tensor) -> torch.Tensor:
    joint = torch.log_softmax(scores, dim=-1) + log_lik
    return joint.gather(-1, scores.argmax(dim=-1, keepdim=True)).squeeze(-1)


@pitfall(replaces="marginal_log_likelihood", why="detaches the prior: the retriever never gets a gradient")
def detached_prior(scores: torch.Tensor, log_lik: torch.Tensor) -> torch.Tensor:
    return torch.logsumexp(torch.log_softmax(scores.detach(), dim=-1) + log_lik, dim=-1)


@pitfall(replaces="marginal_log_likelihood", why="uses the raw scores as log-priors, skipping the softmax normalization")
def unnormalized_prior(scores: torch.Tensor, log_lik: torch.Tensor) -> torch.Tensor:
    return torch.logsumexp(scores + log_lik, dim=-1)


@pitfall(replaces="doc_posterior", why="normalizes the likelihoods alone, forgetting the retrieval prior")
def likelihood_only(scores: torch.Tensor, log_lik: torch.Tensor) -> torch.Tensor:
    return torch.softmax(log_lik, dim=-1)


@pitfall(replaces="doc_posterior", why="multiplies prior and likelihood in probability space: exp(-1000) is 0, 0/0 is NaN")
def probability_space(scores: torch.Tensor, log_lik: torch.Tensor) -> torch.Tensor:
    joint = torch.softmax(scores, dim=-1) * torch.exp(log_lik)
    return joint / joint.sum(dim=-1, keepdim=True)
