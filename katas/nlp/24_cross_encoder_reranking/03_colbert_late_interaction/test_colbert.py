"""Tests for nlp-24-3, ColBERT-style late interaction compared with a single-vector bi-encoder.

References: MaxSim written as loops over query and passage tokens (padding masks honoured); the
encoder's token vectors recomputed from its parameters; the index size in closed form; and the
measured comparison after training both models the same way at the same embedding size on the task
of nlp-24-1: token-level matching ranks the right passage first about twice as often.
"""
from functools import lru_cache

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import seeds
from grader.testing import assert_close, assert_seeded, describe_call

pytestmark = pytest.mark.slow  # trains a ColBERT and a bi-encoder (~3 s CPU)


@given(nq=st.integers(1, 3), n_p=st.integers(1, 3), lq=st.integers(1, 4), lp=st.integers(1, 5), d=st.integers(1, 4),
       seed=seeds())
@example(nq=1, n_p=1, lq=1, lp=1, d=1, seed=0)
def test_maxsim_scores(kata, nq, n_p, lq, lp, d, seed):
    g = torch.Generator().manual_seed(seed)
    q, p = torch.randn(nq, lq, d, generator=g, dtype=torch.float64), torch.randn(n_p, lp, d, generator=g, dtype=torch.float64)
    q_mask = torch.rand(nq, lq, generator=g) < 0.7
    p_mask = torch.rand(n_p, lp, generator=g) < 0.7
    p_mask[:, 0] = True                       # every passage has a real token
    got = kata.maxsim_scores(q, q_mask, p, p_mask)
    want = np.zeros((nq, n_p))
    for a in range(nq):
        for b in range(n_p):
            want[a, b] = sum(max(float(q[a, i] @ p[b, j]) for j in range(lp) if p_mask[b, j])
                             for i in range(lq) if q_mask[a, i])
    assert_close(got, want, rtol=1e-10, atol=1e-12,
                 name="sum over real query tokens of the max over real passage tokens of q_i . p_j",
                 call=describe_call("maxsim_scores", q, q_mask, p, p_mask))


@given(vocab=st.integers(2, 20), dim=st.integers(1, 6), n=st.integers(1, 3), length=st.integers(1, 5), seed=seeds())
def test_colbert_token_vectors(kata, vocab, dim, n, length, seed):
    torch.manual_seed(seed)
    model = kata.ColBERT(vocab, dim)
    ids = torch.randint(0, vocab, (n, length), generator=torch.Generator().manual_seed(seed))
    got = model.encode(ids)
    want = F.normalize(model.embed.weight[ids].double() @ model.proj.weight.double().T, dim=-1)
    assert_close(got, want, rtol=1e-5, atol=1e-6, name="unit-norm projected token embeddings (one per token)",
                 call=describe_call(f"ColBERT({vocab}, {dim}).encode", ids))


@given(lengths=st.lists(st.integers(0, 50), min_size=1, max_size=6), dim=st.sampled_from([1, 8, 128]),
       itemsize=st.sampled_from([1, 2, 4]), late=st.booleans())
def test_index_bytes(kata, lengths, dim, itemsize, late):
    want = (sum(lengths) if late else len(lengths)) * dim * itemsize
    got = kata.index_bytes(lengths, dim, itemsize, late)
    assert int(got) == want, f"index_bytes({lengths}, {dim}, {itemsize}, late_interaction={late}) = {got}, expected {want}"


def test_index_bytes_rejects_bad_sizes(kata):
    for dim, itemsize in ((0, 4), (4, 0), (-1, 4), (4, -2)):
        with pytest.raises(ValueError):
            kata.index_bytes([3], dim, itemsize, True)


@lru_cache(maxsize=2)
def trained(make_task, train_colbert, train_bi):
    passages, make_queries, vocab = make_task(200, 10, 0)
    qtr, etr = make_queries(2000)
    qte, ete = make_queries(200)
    return passages, (qte, ete), train_colbert(qtr, etr, passages, vocab, 4, 300, 0), train_bi(qtr, etr, passages, vocab, 4, 150, 0)


def test_late_interaction_beats_a_single_vector(kata):
    passages, (qte, ete), colbert, bi = trained(kata.make_task, kata.train_colbert, kata.train_bi_encoder)
    with torch.no_grad():
        q, p = torch.as_tensor(qte), torch.as_tensor(passages)
        s_col = kata.maxsim_scores(colbert.encode(q), torch.ones(q.shape, dtype=torch.bool), colbert.encode(p),
                                   torch.ones(p.shape, dtype=torch.bool))
        s_bi = bi.encode_queries(q) @ bi.encode_passages(p).T
    p_col = float((s_col.argmax(1).numpy() == ete).mean())
    p_bi = float((s_bi.argmax(1).numpy() == ete).mean())
    ratio = kata.index_bytes([passages.shape[1]] * len(passages), 4, 4, True) / kata.index_bytes(
        [passages.shape[1]] * len(passages), 4, 4, False)
    assert p_col > p_bi + 0.1, (
        f"held-out precision@1 at embedding size 4: ColBERT {p_col:.2f}, bi-encoder {p_bi:.2f}; token-level MaxSim "
        f"should beat one vector per text (at {ratio:.0f}x the index size)")


@settings(max_examples=2)
@given(seed=seeds())
def test_training_is_seeded(kata, seed):
    passages, make_queries, vocab = kata.make_task(50, 5, 1)
    qtr, etr = make_queries(128)

    def run(s):
        model = kata.train_colbert(qtr, etr, passages, vocab, 3, 2, s)
        with torch.no_grad():
            return model.encode(torch.as_tensor(passages[:2])).numpy()
    assert_seeded(run, seed, name="token vectors after training")


def test_each_step_trains_on_64_random_pairs(kata):
    """steps Adam steps, each encoding 64 training queries drawn uniformly (and their passages) with gradients."""
    passages, make_queries, vocab = kata.make_task(50, 5, 1)
    qtr, etr = make_queries(128)
    first = int(np.nonzero(etr != etr[0])[0][0])
    qs, es = qtr[[0, first]], etr[[0, first]]
    seen: list[torch.Tensor] = []
    encode = kata.ColBERT.encode

    def recording(self, ids):
        ids = torch.as_tensor(ids)
        if torch.is_grad_enabled() and ids.shape[-1] == qs.shape[1]:
            seen.append(ids.detach().reshape(-1, qs.shape[1]).clone())
        return encode(self, ids)
    kata.ColBERT.encode = recording
    try:
        for steps in (0, 1, 20):
            seen.clear()
            kata.train_colbert(qs, es, passages, vocab, 3, steps, 0)
            rows = torch.cat(seen) if seen else torch.zeros(0, qs.shape[1], dtype=torch.int64)
            assert len(rows) == 64 * steps, (
                f"train_colbert(steps={steps}) encoded {len(rows)} training queries with gradients, expected "
                f"{64 * steps}: {steps} steps of 64 queries")
    finally:
        kata.ColBERT.encode = encode
    share = float((rows == torch.as_tensor(qs[0])).all(1).float().mean())
    assert abs(share - 0.5) < 0.1, (
        f"with two training queries, the first made up {share:.2f} of the 20 training batches; batches are drawn "
        f"uniformly (expected about 0.5)")
