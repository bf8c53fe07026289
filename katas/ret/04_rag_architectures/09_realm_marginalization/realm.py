"""ret-04-9: REALM-style marginalization over retrieved documents. Edit this file; `grader check ret-04-9` tests it."""
from __future__ import annotations

import torch


def retrieve_topk(query_emb: torch.Tensor, doc_emb: torch.Tensor, k: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Maximum inner product search: the k documents with the largest relevance f(x, z) = q . d_z.

    Best first; equal scores come out in increasing document id. Gradients flow to both embeddings
    through the returned scores.

    Shapes:
        query_emb: (B, d); doc_emb: (N, d), same dtype
        returns: (ids (B, k) int64, scores (B, k) in that dtype)

    Raises:
        ValueError: if k < 1 or k > N.
    """
    raise NotImplementedError("retrieve_topk: all inner products, keep the k largest in order")


def marginal_log_likelihood(scores: torch.Tensor, log_lik: torch.Tensor) -> torch.Tensor:
    """log p(y | x) = log sum_z p(z | x) p(y | x, z), with p(z | x) = softmax of the scores over the k documents.

    log_lik[b, z] = log p(y | x, z) may be very negative (-1000) or -inf for some documents: the
    result must be finite whenever one document has a finite log_lik. Differentiable in both
    arguments (the retriever learns through the scores).

    Shapes:
        scores, log_lik: (B, k); returns: (B,), same dtype as scores (inputs not modified)
    """
    raise NotImplementedError("marginal_log_likelihood: log_softmax the scores, add log_lik, logsumexp")


def doc_posterior(scores: torch.Tensor, log_lik: torch.Tensor) -> torch.Tensor:
    """p(z | x, y) = p(z | x) p(y | x, z) / p(y | x): how much each document explains the answer.

    Shapes:
        scores, log_lik: (B, k); returns: (B, k), rows summing to 1, same dtype as scores
    """
    raise NotImplementedError("doc_posterior: softmax of log_softmax(scores) + log_lik")
