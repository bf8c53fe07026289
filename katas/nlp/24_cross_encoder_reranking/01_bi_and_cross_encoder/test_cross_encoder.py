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
from grader.testing import assert_close, assert_equal, assert_seeded, call_unmodified, describe_call

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
    shapes = {name: tuple(w.shape) for name, w in model.named_parameters()}
    want_shapes = {"embed.weight": (20, dim), "mlp.0.weight": (hidden, dim), "mlp.0.bias": (hidden,),
                   "mlp.2.weight": (1, hidden), "mlp.2.bias": (1,)}
    assert shapes == want_shapes, f"CrossEncoder(20, {dim}, {hidden}) has parameters {shapes}, expected {want_shapes}"
    got = model(q, p)
    E = model.embed.weight.detach().double()
    lin1, lin2 = model.mlp[0], model.mlp[2]
    inter = (E[q][:, :, None, :] * E[p][:, None, :, :]).amax(dim=(1, 2))
    h = torch.relu(inter @ lin1.weight.double().T + lin1.bias.double())
    want = (h @ lin2.weight.double().T + lin2.bias.double())[:, 0]
    assert_close(got, want, rtol=1e-5, atol=1e-6,
                 name="mlp(max over token pairs (i, j) of embed(q_i) * embed(p_j)), one score per pair",
                 call=describe_call(f"CrossEncoder(20, {dim}, {hidden})", q, p))


@given(n_q=st.integers(1, 6), n_p=st.integers(2, 12), n_hard=st.integers(0, 11), seed=seeds())
@example(n_q=2, n_p=2, n_hard=1, seed=0)     # the only negative
@example(n_q=2, n_p=4, n_hard=0, seed=0)     # no candidates to draw from
def test_mine_hard_negatives(kata, n_q, n_p, n_hard, seed):
    g = torch.Generator().manual_seed(seed)
    scores = torch.randn(n_q, n_p, generator=g)
    positives = torch.randint(0, n_p, (n_q,), generator=g).numpy()
    if n_hard >= n_p or n_hard < 1:
        with pytest.raises(ValueError):
            kata.mine_hard_negatives(scores, positives, n_hard, torch.Generator().manual_seed(seed))
        return
    got = np.asarray(call_unmodified(kata.mine_hard_negatives, scores, positives, n_hard,
                                     torch.Generator().manual_seed(seed)))
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


def test_hard_negatives_are_drawn_uniformly(kata):
    """Each of the n_hard top-scoring negatives is equally likely (3000 queries: each share within 0.05 of 1/3,
    about six standard errors)."""
    g = torch.Generator().manual_seed(0)
    scores = torch.randn(3000, 6, generator=g)
    positives = torch.randint(0, 6, (3000,), generator=g).numpy()
    got = np.asarray(kata.mine_hard_negatives(scores, positives, 3, torch.Generator().manual_seed(1)))
    masked = scores.clone()
    masked[torch.arange(3000), torch.as_tensor(positives)] = -torch.inf
    rank = (masked > masked[torch.arange(3000), torch.as_tensor(got)][:, None]).sum(1).numpy()
    shares = np.bincount(rank, minlength=3)[:3] / 3000
    assert np.all(np.abs(shares - 1 / 3) < 0.05), (
        f"mine_hard_negatives(n_hard=3) over 3000 queries picked the best, second and third negative "
        f"{np.round(shares, 3).tolist()} of the time; expected about 1/3 each (uniform over the top n_hard)")


def test_each_step_trains_on_64_random_queries(kata):
    """steps Adam steps, each on 64 training queries drawn uniformly, paired with a positive and a hard negative:
    the cross-encoder sees 128 (query, passage) pairs per step in its training forward passes."""
    passages, vocab, (qtr, etr), _, bi, _ = setup(kata.make_task, kata.train_bi_encoder, kata.train_cross_encoder)
    first = int(np.nonzero(etr != etr[0])[0][0])
    qs, es = qtr[[0, first]], etr[[0, first]]
    seen: list[torch.Tensor] = []
    forward = kata.CrossEncoder.forward

    def recording(self, queries, passages):
        if torch.is_grad_enabled():
            seen.append(torch.as_tensor(queries).detach().clone())
        return forward(self, queries, passages)
    kata.CrossEncoder.forward = recording
    try:
        for steps in (0, 1, 20):
            seen.clear()
            model = kata.train_cross_encoder(bi, qs, es, passages, vocab, 4, 3, steps, 3, 0)
            rows = torch.cat(seen) if seen else torch.zeros(0, qs.shape[1], dtype=torch.int64)
            assert len(rows) == 128 * steps, (
                f"train_cross_encoder(steps={steps}) ran the cross-encoder (with gradients) on {len(rows)} pairs, "
                f"expected {128 * steps}: {steps} steps of 64 queries, each with its positive and one hard negative")
    finally:
        kata.CrossEncoder.forward = forward
    assert model.mlp[0].out_features == 3, f"train_cross_encoder(hidden=3) built an MLP of width {model.mlp[0].out_features}"
    share = float((rows == torch.as_tensor(qs[0])).all(1).float().mean())
    assert abs(share - 0.5) < 0.1, (
        f"with two training queries, the first made up {share:.2f} of the 20 training batches; queries are drawn "
        f"uniformly (expected about 0.5)")


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
