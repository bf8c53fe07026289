"""Reference solution for nlp-24-3."""
from __future__ import annotations

from collections.abc import Sequence

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


def maxsim_scores(q: torch.Tensor, q_mask: torch.Tensor, p: torch.Tensor, p_mask: torch.Tensor) -> torch.Tensor:
    nq, lq, d = q.shape
    n_p, lp, _ = p.shape
    sim = (q.reshape(-1, d) @ p.reshape(-1, d).T).reshape(nq, lq, n_p, lp)
    sim = sim.masked_fill(~p_mask[None, None, :, :], float("-inf"))
    best = sim.amax(-1)                                       # (nq, lq, np)
    return (best * q_mask[:, :, None]).sum(1)


class ColBERT(nn.Module):
    def __init__(self, vocab_size: int, dim: int) -> None:
        super().__init__()
        self.embed = nn.Embedding(vocab_size, dim)
        self.proj = nn.Linear(dim, dim, bias=False)

    def encode(self, ids: torch.Tensor) -> torch.Tensor:
        return F.normalize(self.proj(self.embed(ids)), dim=-1)


def train_colbert(queries: np.ndarray, relevant: np.ndarray, passages: np.ndarray, vocab_size: int, dim: int,
                  steps: int, seed: int) -> ColBERT:
    torch.manual_seed(seed)
    model = ColBERT(vocab_size, dim)
    opt = torch.optim.Adam(model.parameters(), 0.02)
    gen = torch.Generator().manual_seed(seed)
    for _ in range(steps):
        idx = torch.randint(0, len(queries), (64,), generator=gen).numpy()
        q, p = torch.as_tensor(queries[idx]), torch.as_tensor(passages[relevant[idx]])
        s = maxsim_scores(model.encode(q), torch.ones(q.shape, dtype=torch.bool), model.encode(p),
                          torch.ones(p.shape, dtype=torch.bool))
        loss = F.cross_entropy(s / 0.05, torch.arange(len(idx)))
        opt.zero_grad()
        loss.backward()
        opt.step()
    return model


def index_bytes(passage_lengths: Sequence[int], dim: int, itemsize: int, late_interaction: bool) -> int:
    if dim < 1 or itemsize < 1:
        raise ValueError("dim and itemsize must be >= 1")
    vectors = int(sum(passage_lengths)) if late_interaction else len(passage_lengths)
    return vectors * dim * itemsize
