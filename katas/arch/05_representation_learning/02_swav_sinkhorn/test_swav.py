"""Tests for arch-05-2, SwAV's Sinkhorn-Knopp codes and swapped-prediction loss.

References: the algorithm of SwAV's released code written as a float64 numpy loop; the marginals
(rows sum to 1 exactly, columns to B/K as iterations grow); the Gibbs form of an entropic-OT
solution (log Q - scores / eps = row term + column term); the equipartition the codes enforce on
batches where every sample prefers one prototype; autograd of a float64 reference for the loss.
"""
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import seeds, torch_float_dtypes
from grader.testing import assert_close, assert_dtype, call_unmodified, describe_call


def cosine_scores(b: int, k: int, seed: int, dtype: torch.dtype = torch.float64, skew: float = 0.0) -> torch.Tensor:
    g = torch.Generator().manual_seed(seed)
    z = F.normalize(torch.randn(b, 8, generator=g, dtype=torch.float64) + skew * torch.eye(1, 8, dtype=torch.float64),
                    dim=1)
    c = F.normalize(torch.randn(k, 8, generator=g, dtype=torch.float64) + skew * torch.eye(1, 8, dtype=torch.float64),
                    dim=1)
    return (z @ c.T).to(dtype)


def sk_reference(scores: np.ndarray, eps: float, n_iters: int) -> np.ndarray:
    q = np.exp(scores / eps).T
    q = q / q.sum()
    k, b = q.shape
    for _ in range(n_iters):
        q = q / q.sum(axis=1, keepdims=True) / k
        q = q / q.sum(axis=0, keepdims=True) / b
    return (q * b).T


EPS = st.sampled_from([0.05, 0.1, 0.5])


@given(b=st.integers(1, 8), k=st.integers(1, 6), eps=EPS, n_iters=st.integers(1, 5), seed=seeds(),
       dtype=torch_float_dtypes())
@example(b=1, k=1, eps=0.05, n_iters=1, seed=0, dtype=torch.float32)
@example(b=5, k=3, eps=0.05, n_iters=1, seed=1, dtype=torch.float64)
def test_codes_match_the_algorithm(kata, b, k, eps, n_iters, seed, dtype):
    scores = cosine_scores(b, k, seed, dtype)
    call = describe_call("sinkhorn_knopp", scores, eps, n_iters)
    got = call_unmodified(kata.sinkhorn_knopp, scores, eps, n_iters, fn_name="sinkhorn_knopp")
    assert_dtype(got, scores, call=call)
    # float32: exp(score / 0.05) spans e^40; normalised ratios keep ~1e-6 relative accuracy.
    rtol = 1e-5 if dtype == torch.float32 else 1e-10
    assert_close(got, sk_reference(scores.double().numpy(), eps, n_iters), rtol=rtol, atol=rtol * 1e-3, call=call)
    assert_close(got.double().sum(dim=1), np.ones(b), rtol=0, atol=rtol, name="each sample's codes (row sums)",
                 call=call)


def test_defaults_are_eps_005_and_three_iterations(kata):
    scores = cosine_scores(6, 4, 7)
    assert_close(kata.sinkhorn_knopp(scores), sk_reference(scores.numpy(), 0.05, 3), rtol=1e-10, atol=1e-14,
                 call=describe_call("sinkhorn_knopp", scores))


@settings(max_examples=10)
@given(b=st.integers(2, 12), k=st.integers(2, 5), eps=EPS, seed=seeds())
def test_converged_codes_are_the_entropic_transport_plan(kata, b, k, eps, seed):
    scores = cosine_scores(b, k, seed, skew=2.0)
    q = kata.sinkhorn_knopp(scores, eps, 300).double()
    call = describe_call("sinkhorn_knopp", scores, eps, 300)
    assert_close(q.sum(dim=0), np.full(k, b / k), rtol=1e-6, atol=1e-6,
                 name="prototype totals (equipartition: B / K each)", call=call)
    z = torch.log(q) - scores / eps
    resid = z - z.mean(1, keepdim=True) - z.mean(0, keepdim=True) + z.mean()
    assert_close(resid, torch.zeros_like(z), rtol=0, atol=1e-8,
                 name="double-centred log Q - scores / eps (Q must be diag(u) exp(scores / eps) diag(v))", call=call)


@settings(max_examples=10)
@given(seed=seeds(), k=st.integers(2, 4))
def test_codes_spread_a_collapsed_batch(kata, seed, k):
    """Every sample scores prototype 0 highest, yet the codes give each prototype about B / K."""
    b = 16
    g = torch.Generator().manual_seed(seed)
    scores = torch.full((b, k), -0.5, dtype=torch.float64) + 0.1 * torch.rand(b, k, generator=g, dtype=torch.float64)
    scores[:, 0] = 0.9
    q = kata.sinkhorn_knopp(scores, 0.05, 3)
    assert int((scores.argmax(1) == 0).sum()) == b
    totals = q.double().sum(dim=0)
    assert_close(totals, np.full(k, b / k), rtol=0.05, atol=0, name="prototype totals after 3 iterations",
                 call=describe_call("sinkhorn_knopp", scores, 0.05, 3))


def test_codes_carry_no_gradient(kata):
    scores = cosine_scores(4, 3, 0).requires_grad_()
    q = kata.sinkhorn_knopp(scores)
    assert not q.requires_grad, "sinkhorn_knopp returned codes that require grad: the targets must be constants"


@given(bad=st.sampled_from(["rank1", "rank3", "eps0", "eps_neg", "iters0"]))
def test_codes_reject_bad_arguments(kata, bad):
    scores, kw = torch.zeros(3, 2), {}
    if bad == "rank1":
        scores = torch.zeros(3)
    elif bad == "rank3":
        scores = torch.zeros(2, 3, 2)
    elif bad == "eps0":
        kw["epsilon"] = 0.0
    elif bad == "eps_neg":
        kw["epsilon"] = -0.05
    else:
        kw["n_iters"] = 0
    with pytest.raises(ValueError):
        kata.sinkhorn_knopp(scores, **kw)
        pytest.fail(f"sinkhorn_knopp with {bad} returned instead of raising ValueError")


@given(b=st.integers(1, 6), k=st.integers(2, 5), t=st.sampled_from([0.1, 0.5]), eps=EPS,
       n_iters=st.integers(1, 4), seed=seeds())
def test_swapped_loss_matches_reference_and_gradient(kata, b, k, t, eps, n_iters, seed):
    s1 = cosine_scores(b, k, seed).requires_grad_()
    s2 = cosine_scores(b, k, seed + 1).requires_grad_()
    call = describe_call("swav_loss", s1, s2, temperature=t, epsilon=eps, n_iters=n_iters)
    got = call_unmodified(kata.swav_loss, s1, s2, temperature=t, epsilon=eps, n_iters=n_iters, fn_name="swav_loss")
    r1, r2 = s1.detach().clone().requires_grad_(), s2.detach().clone().requires_grad_()
    q1 = torch.from_numpy(sk_reference(r1.detach().numpy(), eps, n_iters))
    q2 = torch.from_numpy(sk_reference(r2.detach().numpy(), eps, n_iters))
    want = -0.5 * ((q2 * torch.log_softmax(r1 / t, 1)).sum(1) + (q1 * torch.log_softmax(r2 / t, 1)).sum(1)).mean()
    assert_close(got.detach(), want.detach(), rtol=1e-9, atol=1e-10, call=call)
    got.backward()
    want.backward()
    assert s1.grad is not None and s2.grad is not None, f"{call}: the loss does not reach the scores"
    assert_close(s1.grad, r1.grad, rtol=1e-8, atol=1e-10, name="gradient w.r.t. scores_1 (codes are constants)",
                 call=call)
    assert_close(s2.grad, r2.grad, rtol=1e-8, atol=1e-10, name="gradient w.r.t. scores_2", call=call)


def test_swapped_loss_defaults(kata):
    s1, s2 = cosine_scores(5, 3, 11), cosine_scores(5, 3, 12)
    q1, q2 = (torch.from_numpy(sk_reference(s.numpy(), 0.05, 3)) for s in (s1, s2))
    want = -0.5 * ((q2 * torch.log_softmax(s1 / 0.1, 1)).sum(1) + (q1 * torch.log_softmax(s2 / 0.1, 1)).sum(1)).mean()
    assert_close(kata.swav_loss(s1, s2), want, rtol=1e-9, atol=1e-10, name="loss with the default temperature 0.1",
                 call=describe_call("swav_loss", s1, s2))


@given(bad=st.sampled_from(["shape", "t0", "t_neg", "eps0"]))
def test_swapped_loss_rejects_bad_arguments(kata, bad):
    s1, s2, kw = torch.zeros(3, 2), torch.zeros(3, 2), {}
    if bad == "shape":
        s2 = torch.zeros(3, 3)
    elif bad == "t0":
        kw["temperature"] = 0.0
    elif bad == "t_neg":
        kw["temperature"] = -0.1
    else:
        kw["epsilon"] = 0.0
    with pytest.raises(ValueError):
        kata.swav_loss(s1, s2, **kw)
        pytest.fail(f"swav_loss with {bad} returned instead of raising ValueError")
