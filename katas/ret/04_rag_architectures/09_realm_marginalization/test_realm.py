"""Tests for ret-04-9, REALM's marginalization over retrieved documents.

References: faiss.IndexFlatIP for the maximum-inner-product retrieval; the explicit float64 sum
sum_z softmax(f)_z * exp(log_lik_z) for the marginal; scipy.special.logsumexp where the explicit sum
underflows (log-likelihoods of -1000, -inf); Bayes' rule for the posterior; and torch.autograd for the
retriever's learning signal: d log p(y|x) / d f(x, z) = p(z|x, y) - p(z|x) (Guu et al. 2020, section 3.4).
"""
import faiss
import numpy as np
import pytest
import torch
from hypothesis import example, given
from hypothesis import strategies as st
from scipy.special import logsumexp, softmax

from grader.strategies import seeds, torch_float_dtypes
from grader.testing import assert_close, assert_dtype, assert_equal, call_unmodified, describe_call

faiss.omp_set_num_threads(1)


def embeddings(seed: int, b: int, n: int, d: int, dtype: torch.dtype) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    return (torch.randn(b, d, generator=g, dtype=torch.float64).to(dtype),
            torch.randn(n, d, generator=g, dtype=torch.float64).to(dtype))


@given(seed=seeds(), b=st.integers(1, 3), n=st.integers(1, 10), d=st.integers(1, 6), k=st.integers(1, 10),
       dtype=torch_float_dtypes())
@example(seed=0, b=2, n=5, d=3, k=5, dtype=torch.float32)   # k = N
@example(seed=1, b=1, n=4, d=2, k=1, dtype=torch.float64)
def test_retrieve_matches_faiss(kata, seed, b, n, d, k, dtype):
    k = min(k, n)
    q, docs = embeddings(seed, b, n, d, dtype)
    call = describe_call("retrieve_topk", q, docs, k)
    ids, scores = call_unmodified(kata.retrieve_topk, q, docs, k)
    assert ids.dtype == torch.int64, f"{call} returned ids of dtype {ids.dtype}, expected int64"
    assert_dtype(scores, q, name="scores", call=call)
    index = faiss.IndexFlatIP(d)
    index.add(docs.numpy().astype(np.float32))
    want, _ = index.search(q.numpy().astype(np.float32), k)
    assert_close(scores, want, rtol=1e-5, atol=1e-5, name="top-k scores (vs faiss.IndexFlatIP)", call=call)
    exact = q.double() @ docs.double().T
    assert_close(torch.gather(exact, 1, ids), want, rtol=1e-5, atol=1e-5,
                 name="inner products of the returned ids (recomputed in float64)", call=call)


@given(seed=seeds(), n=st.integers(2, 8), k=st.integers(1, 8))
@example(seed=0, n=6, k=6)
def test_retrieve_ties_in_increasing_id(kata, seed, n, k):
    rng = np.random.default_rng(seed)
    base = rng.integers(-2, 3, size=(2, 3))
    docs = torch.tensor(base[rng.integers(0, 2, size=n)], dtype=torch.float64)
    q = torch.tensor(rng.integers(-2, 3, size=(2, 3)), dtype=torch.float64)
    k = min(k, n)
    exact = (q @ docs.T).numpy()
    want = np.argsort(-exact, axis=1, kind="stable")[:, :k]
    call = describe_call("retrieve_topk", q, docs, k)
    assert_equal(kata.retrieve_topk(q, docs, k)[0], want, name="ids (equal scores in increasing id)", call=call)


@given(n=st.integers(1, 5), extra=st.integers(1, 3))
def test_retrieve_rejects_bad_k(kata, n, extra):
    q, docs = embeddings(0, 1, n, 3, torch.float32)
    for k in (0, -extra, n + extra):
        with pytest.raises(ValueError):
            kata.retrieve_topk(q, docs, k)
            pytest.fail(f"retrieve_topk with N={n}, k={k} returned instead of raising ValueError")


def draw_scores(seed: int, b: int, k: int, dtype: torch.dtype, spread: float) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    scores = (torch.randn(b, k, generator=g, dtype=torch.float64) * spread).to(dtype)
    log_lik = (-torch.rand(b, k, generator=g, dtype=torch.float64) * 5).to(dtype)
    return scores, log_lik


@given(seed=seeds(), b=st.integers(1, 4), k=st.integers(1, 6), dtype=torch_float_dtypes(),
       spread=st.sampled_from([0.1, 1.0, 10.0]))
@example(seed=0, b=2, k=1, dtype=torch.float64, spread=1.0)     # one document: log p(y|x) = log_lik
@example(seed=1, b=3, k=5, dtype=torch.float32, spread=10.0)
def test_marginal_equals_explicit_sum(kata, seed, b, k, dtype, spread):
    scores, log_lik = draw_scores(seed, b, k, dtype, spread)
    call = describe_call("marginal_log_likelihood", scores, log_lik)
    got = call_unmodified(kata.marginal_log_likelihood, scores, log_lik)
    assert_dtype(got, scores, call=call)
    s, ll = scores.double().numpy(), log_lik.double().numpy()
    prior = np.exp(s - s.max(axis=1, keepdims=True))
    prior /= prior.sum(axis=1, keepdims=True)
    want = np.log(np.sum(prior * np.exp(ll), axis=1))            # the explicit sum over documents
    tol = 1e-5 if dtype == torch.float32 else 1e-12
    assert_close(got, want, rtol=tol, atol=tol, name="log p(y|x)", call=call)


@given(seed=seeds(), b=st.integers(1, 3), k=st.integers(2, 6), impossible=st.integers(0, 5), dtype=torch_float_dtypes())
@example(seed=0, b=2, k=4, impossible=3, dtype=torch.float32)
def test_marginal_is_stable_for_extreme_log_likelihoods(kata, seed, b, k, impossible, dtype):
    """log_lik around -1000 (exp underflows to 0) and -inf for some (not all) documents."""
    scores, log_lik = draw_scores(seed, b, k, dtype, 1.0)
    log_lik = log_lik - 1000
    log_lik[:, : min(impossible, k - 1)] = -torch.inf
    call = describe_call("marginal_log_likelihood", scores, log_lik)
    got = kata.marginal_log_likelihood(scores, log_lik)
    s, ll = scores.double().numpy(), log_lik.double().numpy()
    log_prior = s - logsumexp(s, axis=1, keepdims=True)
    want = logsumexp(log_prior + ll, axis=1)
    # float32 values near -1000 carry an absolute rounding of ~6e-5
    tol = 3e-4 if dtype == torch.float32 else 1e-9
    assert_close(got, want, rtol=0, atol=tol, name="log p(y|x) (vs scipy.special.logsumexp)", call=call)


@given(seed=seeds(), b=st.integers(1, 3), k=st.integers(1, 6), dtype=torch_float_dtypes(), shift=st.sampled_from([0.0, -1000.0]))
@example(seed=2, b=2, k=4, dtype=torch.float64, shift=-1000.0)
def test_posterior_is_bayes_rule(kata, seed, b, k, dtype, shift):
    scores, log_lik = draw_scores(seed, b, k, dtype, 2.0)
    log_lik = log_lik + shift
    call = describe_call("doc_posterior", scores, log_lik)
    got = call_unmodified(kata.doc_posterior, scores, log_lik)
    assert_dtype(got, scores, call=call)
    s, ll = scores.double().numpy(), log_lik.double().numpy()
    want = softmax(np.log(softmax(s, axis=1)) + ll, axis=1)     # prior * likelihood, normalized
    tol = 1e-5 if dtype == torch.float32 else 1e-12
    assert_close(got, want, rtol=tol, atol=tol, name="p(z|x,y)", call=call)


@given(seed=seeds(), b=st.integers(1, 3), n=st.integers(2, 8), d=st.integers(1, 4), k=st.integers(1, 8))
@example(seed=0, b=2, n=6, d=3, k=4)
def test_retriever_gradient_is_posterior_minus_prior(kata, seed, b, n, d, k):
    """Through retrieve_topk and the marginal, end to end, the retriever gets p(z|x,y) - p(z|x)."""
    k = min(k, n)
    q, docs = embeddings(seed, b, n, d, torch.float64)
    q.requires_grad_(True)
    ids, scores = kata.retrieve_topk(q, docs, k)
    scores.retain_grad()
    g = torch.Generator().manual_seed(seed + 1)
    log_lik = (-torch.rand(b, n, generator=g, dtype=torch.float64) * 4).gather(1, ids.detach()).requires_grad_(True)
    kata.marginal_log_likelihood(scores, log_lik).sum().backward()
    call = describe_call("marginal_log_likelihood", scores, log_lik) + " backward"
    assert scores.grad is not None, f"{call}: no gradient reached the retrieval scores (was the prior detached?)"
    s, ll = scores.detach().numpy(), log_lik.detach().numpy()
    prior = softmax(s, axis=1)
    post = softmax(np.log(prior) + ll, axis=1)
    assert_close(scores.grad, post - prior, rtol=1e-9, atol=1e-12, name="d log p(y|x) / d scores", call=call)
    assert_close(log_lik.grad, post, rtol=1e-9, atol=1e-12, name="d log p(y|x) / d log_lik", call=call)
    want_q = (torch.tensor(post - prior)[:, :, None] * docs[ids]).sum(1)   # chain rule through f = q . d_z
    assert_close(q.grad, want_q, rtol=1e-9, atol=1e-12, name="d log p(y|x) / d query embedding", call=call)
