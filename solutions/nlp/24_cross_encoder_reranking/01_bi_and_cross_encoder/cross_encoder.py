"""Reference solution for nlp-24-1."""
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
    def __init__(self, vocab_size: int, dim: int, hidden: int) -> None:
        super().__init__()
        self.embed = nn.Embedding(vocab_size, dim)
        self.mlp = nn.Sequential(nn.Linear(dim, hidden), nn.ReLU(), nn.Linear(hidden, 1))

    def forward(self, queries: torch.Tensor, passages: torch.Tensor) -> torch.Tensor:
        qe, pe = self.embed(queries), self.embed(passages)
        inter = (qe[:, :, None, :] * pe[:, None, :, :]).amax(dim=(1, 2))
        return self.mlp(inter)[:, 0]


def mine_hard_negatives(scores: torch.Tensor, positives: np.ndarray, n_hard: int,
                        generator: torch.Generator) -> np.ndarray:
    """One hard negative per query, drawn uniformly from the top n_hard (positive excluded); inputs not modified."""
    if n_hard < 1 or n_hard >= scores.shape[1]:
        raise ValueError(f"need 1 <= n_hard < number of passages, got {n_hard}")
    s = scores.clone()
    s[torch.arange(len(s)), torch.as_tensor(positives)] = -torch.inf
    top = s.topk(n_hard, dim=1).indices
    pick = torch.randint(0, n_hard, (len(s),), generator=generator)
    return top[torch.arange(len(s)), pick].numpy()


def train_cross_encoder(bi: BiEncoder, queries: np.ndarray, relevant: np.ndarray, passages: np.ndarray,
                        vocab_size: int, dim: int, hidden: int, steps: int, n_hard: int, seed: int) -> CrossEncoder:
    torch.manual_seed(seed)
    gen = torch.Generator().manual_seed(seed)
    model = CrossEncoder(vocab_size, dim, hidden)
    opt = torch.optim.Adam(model.parameters(), 0.02)
    with torch.no_grad():
        all_p = bi.encode_passages(torch.as_tensor(passages))
    for _ in range(steps):
        idx = torch.randint(0, len(queries), (64,), generator=gen).numpy()
        with torch.no_grad():
            scores = bi.encode_queries(torch.as_tensor(queries[idx])) @ all_p.T
        neg = mine_hard_negatives(scores, relevant[idx], n_hard, gen)
        q = torch.as_tensor(np.concatenate([queries[idx], queries[idx]]))
        p = torch.as_tensor(np.concatenate([passages[relevant[idx]], passages[neg]]))
        y = torch.cat([torch.ones(len(idx)), torch.zeros(len(idx))])
        loss = F.binary_cross_entropy_with_logits(model(q, p), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return model


@torch.no_grad()
def retrieve_and_rerank(bi: BiEncoder, cross: CrossEncoder, queries: np.ndarray, passages: np.ndarray,
                        k: int) -> tuple[np.ndarray, np.ndarray]:
    scores = bi.encode_queries(torch.as_tensor(queries)) @ bi.encode_passages(torch.as_tensor(passages)).T
    cand = torch.sort(scores, dim=1, descending=True, stable=True).indices[:, :k]
    q = torch.as_tensor(np.repeat(queries, k, axis=0))
    ce = cross(q, torch.as_tensor(passages[cand.reshape(-1).numpy()])).reshape(len(queries), k)
    order = torch.sort(ce, dim=1, descending=True, stable=True).indices
    return cand.numpy(), torch.gather(cand, 1, order).numpy()


def precision_at_1(ranked: np.ndarray, relevant: np.ndarray) -> float:
    return float((np.asarray(ranked)[:, 0] == np.asarray(relevant)).mean())
