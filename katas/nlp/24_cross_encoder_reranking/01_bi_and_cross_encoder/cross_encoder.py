"""nlp-24-1: a bi-encoder for retrieval and a cross-encoder for reranking. Edit this file;
`grader check nlp-24-1` tests it."""
from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn


def make_task(n_entities: int, n_topics: int, seed: int):  # noqa: ANN201
    """Given: one passage per entity (its entity token, five topic words, two noise words) and a query
    generator (the entity's query token, two topic words, one noise word). Entity tokens of queries and
    passages differ (disjoint vocabularies); topic words are shared. Returns (passages (n_entities, 8) int64,
    make_queries(m) -> (queries (m, 4) int64, relevant passage index (m,)), vocab_size)."""
    rng = np.random.default_rng(seed)
    topic = rng.integers(0, n_topics, n_entities)
    p0, q0 = n_topics * 4, n_topics * 4 + n_entities
    noise0 = q0 + n_entities

    def topic_words(t: int, n: int) -> np.ndarray:
        return t * 4 + rng.integers(0, 4, n)

    passages = np.stack([np.concatenate([[p0 + e], topic_words(topic[e], 5), noise0 + rng.integers(0, 8, 2)])
                         for e in range(n_entities)])

    def make_queries(m: int) -> tuple[np.ndarray, np.ndarray]:
        es = rng.integers(0, n_entities, m)
        qs = np.stack([np.concatenate([[q0 + e], topic_words(topic[e], 2), noise0 + rng.integers(0, 8, 1)])
                       for e in es])
        return qs, es

    return passages, make_queries, noise0 + 8


class BiEncoder(nn.Module):
    """Given (nlp-22-1): two EmbeddingBag towers, unit-norm outputs."""

    def __init__(self, vocab_size: int, dim: int) -> None:
        super().__init__()
        self.q, self.p = nn.EmbeddingBag(vocab_size, dim), nn.EmbeddingBag(vocab_size, dim)

    def encode_queries(self, ids: torch.Tensor) -> torch.Tensor:
        return F.normalize(self.q(ids), dim=-1)

    def encode_passages(self, ids: torch.Tensor) -> torch.Tensor:
        return F.normalize(self.p(ids), dim=-1)


def train_bi_encoder(queries: np.ndarray, relevant: np.ndarray, passages: np.ndarray, vocab_size: int, dim: int,
                     steps: int, seed: int) -> BiEncoder:
    """Given (nlp-22-1): in-batch negatives, batches of 64, Adam lr 0.02, temperature 0.05."""
    torch.manual_seed(seed)
    model = BiEncoder(vocab_size, dim)
    opt = torch.optim.Adam(model.parameters(), 0.02)
    gen = torch.Generator().manual_seed(seed)
    for _ in range(steps):
        idx = torch.randint(0, len(queries), (64,), generator=gen).numpy()
        q = model.encode_queries(torch.as_tensor(queries[idx]))
        p = model.encode_passages(torch.as_tensor(passages[relevant[idx]]))
        loss = F.cross_entropy(q @ p.T / 0.05, torch.arange(len(idx)))
        opt.zero_grad()
        loss.backward()
        opt.step()
    return model


class CrossEncoder(nn.Module):
    """Scores a (query, passage) pair jointly. Parameters: embed = nn.Embedding(vocab_size, dim) (shared by
    query and passage tokens) and mlp = nn.Sequential(nn.Linear(dim, hidden), nn.ReLU(), nn.Linear(hidden, 1)).

    forward(queries (B, Lq), passages (B, Lp)) -> (B,) logits:
        mlp(max over token pairs (i, j) of embed(q_i) * embed(p_j))   (elementwise product, max per feature)
    Unlike the bi-encoder's q . p, this cannot be split into a query part and a passage part.
    """

    def __init__(self, vocab_size: int, dim: int, hidden: int) -> None:
        super().__init__()
        raise NotImplementedError("CrossEncoder.__init__: embed and mlp")

    def forward(self, queries: torch.Tensor, passages: torch.Tensor) -> torch.Tensor:
        raise NotImplementedError("CrossEncoder.forward: all pairwise token interactions, max-pooled, MLP")


def mine_hard_negatives(scores: torch.Tensor, positives: np.ndarray, n_hard: int,
                        generator: torch.Generator) -> np.ndarray:
    """One hard negative per query: a passage drawn uniformly (with `generator`) from the n_hard passages the
    bi-encoder scores highest, the query's positive excluded. The inputs are not modified.

    Shapes:
        scores: (n_queries, n_passages)    positives: (n_queries,)    returns: (n_queries,) int

    Raises:
        ValueError: unless 1 <= n_hard < n_passages.
    """
    raise NotImplementedError("mine_hard_negatives: mask the positive, top-n_hard, pick one at random")


def train_cross_encoder(bi: BiEncoder, queries: np.ndarray, relevant: np.ndarray, passages: np.ndarray,
                        vocab_size: int, dim: int, hidden: int, steps: int, n_hard: int, seed: int) -> CrossEncoder:
    """Train a CrossEncoder(vocab_size, dim, hidden) for `steps` Adam steps (lr 0.02) on binary cross-entropy:
    each step, 64 random training queries with their relevant passage (label 1) and one hard negative from
    the (frozen) bi-encoder's scores over all passages (label 0). All randomness from `seed`.
    """
    raise NotImplementedError("train_cross_encoder: positives and mined hard negatives, BCE")


def retrieve_and_rerank(bi: BiEncoder, cross: CrossEncoder, queries: np.ndarray, passages: np.ndarray,
                        k: int) -> tuple[np.ndarray, np.ndarray]:
    """Retrieve each query's top-k passages by bi-encoder score (stable descending sort), then reorder them by
    cross-encoder score (stable descending). Returns (candidates (n, k), reranked (n, k)) passage indices."""
    raise NotImplementedError("retrieve_and_rerank: fast top-k, then the precise model on k candidates")


def precision_at_1(ranked: np.ndarray, relevant: np.ndarray) -> float:
    """Fraction of queries whose first ranked passage is the relevant one."""
    raise NotImplementedError("precision_at_1: compare the first column with the relevant indices")
