"""Plausible wrong cross-encoder pipelines that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import torch

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from cross_encoder import BiEncoder, CrossEncoder


@pitfall(replaces="CrossEncoder.forward", why="mean-pools each side first (a bi-encoder in disguise)")
def pooled_first(self, queries: torch.Tensor, passages: torch.Tensor) -> torch.Tensor:  # noqa: ANN001
    return self.mlp(self.embed(queries).mean(1) * self.embed(passages).mean(1))[:, 0]


@pitfall(replaces="mine_hard_negatives", why="forgets to exclude the positive: it can come back as its own negative")
def keeps_positive(scores: torch.Tensor, positives: np.ndarray, n_hard: int, generator: torch.Generator) -> np.ndarray:
    if n_hard < 1 or n_hard >= scores.shape[1]:
        raise ValueError("n_hard")
    top = scores.topk(n_hard, dim=1).indices
    pick = torch.randint(0, n_hard, (len(scores),), generator=generator)
    return top[torch.arange(len(scores)), pick].numpy()


@pitfall(replaces="mine_hard_negatives", why="random negatives from the whole collection (easy, not hard)")
def random_negatives(scores: torch.Tensor, positives: np.ndarray, n_hard: int,
                     generator: torch.Generator) -> np.ndarray:
    if n_hard < 1 or n_hard >= scores.shape[1]:
        raise ValueError("n_hard")
    neg = torch.randint(0, scores.shape[1], (len(scores),), generator=generator).numpy()
    return np.where(neg == positives, (neg + 1) % scores.shape[1], neg)


@pitfall(replaces="retrieve_and_rerank", why="reranks ascending (the lowest cross-encoder score first)")
@torch.no_grad()
def ascending(bi: BiEncoder, cross: CrossEncoder, queries: np.ndarray, passages: np.ndarray,
              k: int) -> tuple[np.ndarray, np.ndarray]:
    scores = bi.encode_queries(torch.as_tensor(queries)) @ bi.encode_passages(torch.as_tensor(passages)).T
    cand = torch.sort(scores, dim=1, descending=True, stable=True).indices[:, :k]
    ce = cross(torch.as_tensor(np.repeat(queries, k, 0)), torch.as_tensor(passages[cand.reshape(-1).numpy()]))
    order = torch.sort(ce.reshape(len(queries), k), dim=1, stable=True).indices
    return cand.numpy(), torch.gather(cand, 1, order).numpy()


@pitfall(replaces="precision_at_1", why="counts a hit anywhere in the ranking (recall@k, not precision@1)")
def any_position(ranked: np.ndarray, relevant: np.ndarray) -> float:
    return float((np.asarray(ranked) == np.asarray(relevant)[:, None]).any(1).mean())
