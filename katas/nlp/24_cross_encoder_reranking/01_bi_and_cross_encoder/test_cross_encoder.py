"""Tests for nlp-24-1, a bi-encoder for retrieval and a cross-encoder for reranking.

References: the cross-encoder's score recomputed from its own parameters (max-pooled token interactions
through the MLP); hard negatives checked against the bi-encoder's top scores; the reranked order
against a stable sort of the cross-encoder's scores; and the measured effect after training both
models (queries and passages share topics but name the entity with different tokens): a small
bi-encoder ranks the right passage first rarely, reranking its top 10 with the cross-encoder often.
"""
from functools import lru_cache

import numpy as np
import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, assert_seeded, describe_call

pytestmark = pytest.mark.slow  # trains a bi-encoder and a cross-encoder (~2.5 s CPU)


@lru_cache(maxsize=2)
def setup(make_task, train_bi, train_cross):
    passages, make_queries, vocab = make_task(200, 10, 0)
    qtr, etr = make_queries(2000)
    qte, ete = make_queries(200)
    bi = train_bi(qtr, etr, passages, vocab, 4, 150, 0)
    cross = train_cross(bi, qtr, etr, passages, vocab, 32, 32, 400, 5, 0)
    return passages, vocab, (qtr, etr), (qte, ete), bi, cross


@given(b=st.integers(1, 3), lq=st.integers(1, 4), lp=st.integers(1, 5), dim=st.integers(1, 6),
       hidden=st.integers(1, 5), seed=seeds())
def test_cross_encoder_scores_token_interactions(kata, b, lq, lp, dim, hidden, seed):
    torch.manual_seed(seed)
    model = kata.CrossEncoder(20, dim, hidden)
    g = torch.Generator().manual_seed(seed)
    q, p = torch.randint(0, 20, (b, lq), generator=g), torch.randint(0, 20, (b, lp), generator=g)
    got = model(q, p)
    E = model.embed.weight.detach().double()
    lin1, lin2 = model.mlp[0], model.mlp[2]
    inter = (E[q][:, :, None, :] * E[p][:, None, :, :]).amax(dim=(1, 2))
    h = torch.relu(inter @ lin1.weight.double().T + lin1.bias.double())
    want = (h @ lin2.weight.double().T + lin2.bias.double())[:, 0]
    assert_close(got, want, rtol=1e-5, atol=1e-6,
                 name="mlp(max over token pairs (i, j) of embed(q_i) * embed(p_j)), one score per pair",
                 call=describe_call(f"CrossEncoder(20, {dim}, {hidden})", q, p))


@given(n_q=st.integers(1, 6), n_p=st.integers(2, 12), n_hard=st.integers(1, 11), seed=seeds())
@example(n_q=2, n_p=2, n_hard=1, seed=0)     # the only negative
def test_mine_hard_negatives(kata, n_q, n_p, n_hard, seed):
    g = torch.Generator().manual_seed(seed)
    scores = torch.randn(n_q, n_p, generator=g)
    positives = torch.randint(0, n_p, (n_q,), generator=g).numpy()
    if n_hard >= n_p:
        with pytest.raises(ValueError):
            kata.mine_hard_negatives(scores, positives, n_hard, torch.Generator().manual_seed(seed))
        return
    got = np.asarray(kata.mine_hard_negatives(scores, positives, n_hard, torch.Generator().manual_seed(seed)))
    for i in range(n_q):
        s = scores[i].clone()
        s[positives[i]] = -np.inf
        top = set(torch.topk(s, n_hard).indices.tolist())
        assert got[i] != positives[i] and int(got[i]) in top, (
            f"mine_hard_negatives: query {i} got negative {got[i]}, expected one of the {n_hard} highest-scoring "
            f"passages other than its positive {positives[i]}: {sorted(top)}")
    if n_hard > 1 and n_q > 2:
        assert_seeded(lambda s_: np.asarray(kata.mine_hard_negatives(scores, positives, n_hard,
                                                                    torch.Generator().manual_seed(s_))), seed,
                      name="hard negatives", differs=False)


def test_training_and_reranking(kata):
    passages, vocab, _, (qte, ete), bi, cross = setup(kata.make_task, kata.train_bi_encoder, kata.train_cross_encoder)
    cand, reranked = kata.retrieve_and_rerank(bi, cross, qte, passages, 10)
    with torch.no_grad():
        scores = bi.encode_queries(torch.as_tensor(qte)) @ bi.encode_passages(torch.as_tensor(passages)).T
        want_cand = torch.sort(scores, dim=1, descending=True, stable=True).indices[:, :10].numpy()
        ce = cross(torch.as_tensor(np.repeat(qte, 10, 0)), torch.as_tensor(passages[want_cand.reshape(-1)]))
        order = torch.sort(ce.reshape(-1, 10), dim=1, descending=True, stable=True).indices.numpy()
    assert_equal(np.asarray(cand), want_cand, name="bi-encoder top-10 candidates", call="retrieve_and_rerank")
    assert_equal(np.asarray(reranked), np.take_along_axis(want_cand, order, 1),
                 name="candidates sorted by cross-encoder score", call="retrieve_and_rerank")
    p_bi, p_rerank = kata.precision_at_1(cand, ete), kata.precision_at_1(reranked, ete)
    assert abs(p_bi - float((want_cand[:, 0] == ete).mean())) < 1e-12, "precision_at_1 = fraction with the relevant first"
    assert p_bi < 0.4 and p_rerank > p_bi + 0.3, (
        f"held-out precision@1: bi-encoder {p_bi:.2f}, after cross-encoder reranking of its top 10 {p_rerank:.2f}; "
        f"the cross-encoder (trained on hard negatives) should be far more precise")


@settings(max_examples=2)
@given(seed=seeds())
def test_cross_encoder_training_is_seeded(kata, seed):
    passages, vocab, (qtr, etr), _, bi, _ = setup(kata.make_task, kata.train_bi_encoder, kata.train_cross_encoder)
    probe_q, probe_p = torch.as_tensor(qtr[:4]), torch.as_tensor(passages[:4])

    def run(s):
        model = kata.train_cross_encoder(bi, qtr[:128], etr[:128], passages, vocab, 4, 4, 2, 3, s)
        with torch.no_grad():
            return model(probe_q, probe_p).numpy()
    assert_seeded(run, seed, name="cross-encoder scores after training")
