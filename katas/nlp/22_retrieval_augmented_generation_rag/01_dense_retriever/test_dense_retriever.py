"""Tests for nlp-22-1, a DPR-style dense retriever with a FAISS vector index.

References: the in-batch negative loss written out with numpy log-softmax; exact maximum-inner-product
search by numpy brute force (argsort of all scores) for the FAISS-backed index, including removals;
the retrieval quality of the trained encoder on held-out queries (queries and passages share topics
but no words, so only a trained encoder can match them) against the same model untrained.
"""
from functools import lru_cache

import numpy as np
import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, assert_seeded, describe_call

pytestmark = pytest.mark.slow  # trains a small dual encoder (~1 s CPU)

DIM = 16


@lru_cache(maxsize=2)
def corpus_and_pairs(make_corpus) -> tuple[dict, np.ndarray]:
    c = make_corpus(20, 400, 600, 0)
    rng = np.random.default_rng(1)
    pidx = np.array([rng.choice(np.nonzero(c["passage_topic"] == t)[0]) for t in c["query_topic"][:400]])
    return c, pidx


@lru_cache(maxsize=2)
def trained(train, make_corpus, steps: int):
    c, pidx = corpus_and_pairs(make_corpus)
    return train(c["queries"][:400], c["passages"][pidx], int(c["vocab_size"]), DIM, steps, 64, 0)


@given(b=st.integers(1, 8), d=st.integers(1, 6), temperature=st.sampled_from([0.05, 0.5, 1.0]), seed=seeds())
@example(b=1, d=2, temperature=1.0, seed=0)
def test_in_batch_loss(kata, b, d, temperature, seed):
    g = torch.Generator().manual_seed(seed)
    q, p = torch.randn(b, d, generator=g, dtype=torch.float64), torch.randn(b, d, generator=g, dtype=torch.float64)
    got = kata.in_batch_loss(q, p, temperature)
    s = (q @ p.T).numpy() / temperature
    logsm = s - s.max(1, keepdims=True) - np.log(np.exp(s - s.max(1, keepdims=True)).sum(1, keepdims=True))
    want = -np.mean(np.diag(logsm))
    assert_close(float(got), want, rtol=1e-10, atol=1e-12,
                 name="mean over queries of -log softmax_j(q_i . p_j / T) at j = i (the other passages are negatives)",
                 call=describe_call("in_batch_loss", q, p, temperature))


@given(vocab=st.integers(2, 30), dim=st.integers(1, 8), n=st.integers(1, 4), length=st.integers(1, 5), seed=seeds())
def test_dual_encoder_towers(kata, vocab, dim, n, length, seed):
    torch.manual_seed(seed)
    model = kata.DualEncoder(vocab, dim)
    ids = torch.randint(0, vocab, (n, length), generator=torch.Generator().manual_seed(seed))
    qe, pe = model.encode_queries(ids), model.encode_passages(ids)
    for name, e in (("query", qe), ("passage", pe)):
        assert tuple(e.shape) == (n, dim), f"DualEncoder({vocab}, {dim}): {name} embeddings {tuple(e.shape)}, expected {(n, dim)}"
        assert_close(e.norm(dim=-1), np.ones(n), rtol=0, atol=1e-5, name=f"{name} embedding norms (unit vectors)",
                     call=f"DualEncoder({vocab}, {dim}).encode_{name}s")
    # separate towers: a gradient step on a query-only loss must leave the passage encodings unchanged
    opt = torch.optim.SGD(model.parameters(), lr=0.5)
    (model.encode_queries(ids) * torch.randn(n, dim, generator=torch.Generator().manual_seed(seed))).sum().backward()
    opt.step()
    with torch.no_grad():
        pe_after, qe_after = model.encode_passages(ids), model.encode_queries(ids)
    assert torch.equal(pe_after, pe.detach()), (
        "a training step on a loss of the query embeddings changed the passage embeddings: DPR uses two encoders "
        "with separate parameters")
    assert not torch.equal(qe_after, qe.detach()) or dim == 1, "the query tower did not train"


def test_training_makes_retrieval_work(kata):
    c, _ = corpus_and_pairs(kata.make_corpus)
    index_ids = np.arange(400)
    recalls = []
    for steps in (0, 80):
        model = trained(kata.train_dual_encoder, kata.make_corpus, steps)
        with torch.no_grad():
            p = model.encode_passages(torch.as_tensor(c["passages"])).numpy()
            q = model.encode_queries(torch.as_tensor(c["queries"][400:])).numpy()
        top = np.argsort(-(q @ p.T), axis=1, kind="stable")[:, :1]
        recalls.append(float((c["passage_topic"][index_ids[top]] == c["query_topic"][400:, None]).any(1).mean()))
    assert recalls[1] >= 0.6 and recalls[1] > recalls[0] + 0.3, (
        f"held-out topic recall@1: {recalls[0]:.2f} untrained, {recalls[1]:.2f} after 80 steps of in-batch "
        f"negative training; expected at least 0.6 and a gain over 0.3 (queries share no words with passages)")


@settings(max_examples=3)
@given(seed=seeds())
def test_training_is_seeded(kata, seed):
    c, pidx = corpus_and_pairs(kata.make_corpus)

    def run(s: int) -> np.ndarray:
        model = kata.train_dual_encoder(c["queries"][:64], c["passages"][pidx[:64]], int(c["vocab_size"]), 4, 3, 16, s)
        with torch.no_grad():
            return model.encode_queries(torch.as_tensor(c["queries"][:5])).numpy()
    assert_seeded(run, seed, name="query embeddings after training")


def disjoint_pairs(n: int) -> tuple[np.ndarray, np.ndarray]:
    """n (query, passage) pairs with words of their own: query i uses ids 2i, 2i + 1, passage i uses
    2n + 2i, 2n + 2i + 1 (vocabulary 4n), so the embedding rows a step changes name the pairs it trained on."""
    q = np.arange(2 * n, dtype=np.int64).reshape(n, 2)
    return q, q + 2 * n


@settings(max_examples=3)
@given(n=st.integers(3, 8), batch=st.integers(2, 8), seed=seeds())
@example(n=6, batch=3, seed=0)
@example(n=5, batch=5, seed=1)
def test_each_step_trains_on_batch_size_pairs(kata, n, batch, seed):
    """steps = 0 trains nothing; steps = 1 is one Adam step on a batch of exactly batch_size distinct pairs
    (an Adam step leaves the embedding rows of words outside the batch exactly unchanged)."""
    batch = min(batch, n)
    qs, ps = disjoint_pairs(n)
    call = describe_call("train_dual_encoder", qs, ps, 4 * n, 4, 1, batch, seed)
    before = kata.train_dual_encoder(qs, ps, 4 * n, 4, 0, batch, seed)
    again = kata.train_dual_encoder(qs, ps, 4 * n, 4, 0, batch, seed, lr=0.5, temperature=1.0)
    for (name, a), b in zip(before.named_parameters(), again.parameters(), strict=True):
        assert torch.equal(a, b), (f"train_dual_encoder with steps=0 changed {name} (lr and temperature changed "
                                   f"the result): 0 steps is the seeded initial model")
    after = kata.train_dual_encoder(qs, ps, 4 * n, 4, 1, batch, seed)
    rows = (after.q_embed.weight != before.q_embed.weight)[:2 * n].any(dim=1).numpy().reshape(n, 2).any(axis=1)
    assert rows.sum() == batch, (
        f"{call}: one step trained the query words of {rows.sum()} pairs, expected a batch of {batch} pairs "
        f"(pair i's query uses words 2i and 2i + 1 only)")


@settings(max_examples=2)
@given(temperature=st.sampled_from([0.05, 0.2, 1.0]), lr=st.sampled_from([0.003, 0.01, 0.1]), seed=seeds())
@example(temperature=0.5, lr=0.05, seed=0)
def test_full_batch_training_matches_two_adam_steps(kata, temperature, lr, seed):
    """With batch_size = the number of pairs every batch is the whole set (in some order, which the mean
    in-batch loss does not see), so training is two Adam(lr) steps on in_batch_loss(temperature), written out
    here from the seeded initial model (steps = 0)."""
    c, pidx = corpus_and_pairs(kata.make_corpus)
    qs, ps, vocab = c["queries"][:24], c["passages"][pidx[:24]], int(c["vocab_size"])
    call = describe_call("train_dual_encoder", qs, ps, vocab, 4, 2, 24, seed, temperature=temperature, lr=lr)
    model = kata.train_dual_encoder(qs, ps, vocab, 4, 0, 24, seed)
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    for _ in range(2):
        q = model.encode_queries(torch.as_tensor(qs))
        p = model.encode_passages(torch.as_tensor(ps))
        loss = torch.nn.functional.cross_entropy(q @ p.T / temperature, torch.arange(len(q)))
        opt.zero_grad()
        loss.backward()
        opt.step()
    got = kata.train_dual_encoder(qs, ps, vocab, 4, 2, 24, seed, temperature=temperature, lr=lr)
    for (name, w), g in zip(model.named_parameters(), got.parameters(), strict=True):
        # float32 gradients summed in another order; Adam's first steps move each weight by about lr.
        assert_close(g.detach(), w.detach(), rtol=1e-4, atol=1e-4 * lr, name=f"{name} after two full-batch steps",
                     call=call)


@given(n=st.integers(1, 40), k=st.integers(1, 50), n_removed=st.integers(0, 5), seed=seeds())
@example(n=3, k=10, n_removed=0, seed=0)     # k larger than the index
@example(n=5, k=2, n_removed=4, seed=1)
def test_vector_index_is_exact_inner_product_search(kata, n, k, n_removed, seed):
    rng = np.random.default_rng(seed)
    vecs = rng.normal(size=(n, 6)).astype(np.float32)
    ids = rng.choice(10_000, size=n, replace=False).astype(np.int64)
    queries = rng.normal(size=(3, 6)).astype(np.float32)
    index = kata.VectorIndex(6)
    index.add(ids, vecs)
    removed = ids[:min(n_removed, n - 1)]
    got_removed = index.remove(removed)
    assert int(got_removed) == len(removed), f"VectorIndex.remove({removed.tolist()}) returned {got_removed}"
    keep = ~np.isin(ids, removed)
    assert len(index) == keep.sum(), f"len(VectorIndex) = {len(index)} after removals, expected {keep.sum()}"
    scores, got_ids = index.search(queries, k)
    all_scores = queries.astype(np.float64) @ vecs[keep].T.astype(np.float64)
    order = np.argsort(-all_scores, axis=1, kind="stable")[:, :min(k, keep.sum())]
    call = describe_call("VectorIndex.search", queries, k) + f" over {keep.sum()} vectors"
    assert_equal(np.asarray(got_ids), ids[keep][order], name="ids of the top-k inner products (best first)", call=call)
    # float32 inner products of 6-vectors.
    assert_close(np.asarray(scores), np.take_along_axis(all_scores, order, 1), rtol=1e-5, atol=1e-5,
                 name="inner-product scores", call=call)


def test_vector_index_rejects_k_below_one(kata):
    index = kata.VectorIndex(2)
    index.add(np.array([1]), np.ones((1, 2), np.float32))
    with pytest.raises(ValueError):
        index.search(np.ones((1, 2), np.float32), 0)


@given(n_q=st.integers(1, 10), n_p=st.integers(1, 10), k=st.integers(1, 4), seed=seeds())
def test_topic_recall_at_k(kata, n_q, n_p, k, seed):
    rng = np.random.default_rng(seed)
    p_topic, q_topic = rng.integers(0, 3, n_p), rng.integers(0, 3, n_q)
    retrieved = rng.integers(0, n_p, (n_q, k))
    got = kata.topic_recall_at_k(retrieved, p_topic, q_topic)
    want = np.mean([any(p_topic[r] == q_topic[i] for r in retrieved[i]) for i in range(n_q)])
    assert_close(float(got), want, rtol=0, atol=1e-12, name="fraction of queries with a same-topic passage in the top k",
                 call=describe_call("topic_recall_at_k", retrieved, p_topic, q_topic))
