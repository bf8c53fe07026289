"""Tests for arch-05-1, InfoNCE and NT-Xent.

References: torch.nn.functional.cross_entropy on the score matrix; the losses' definitions written
as float64 loops over anchors (numpy); autograd of the float64 reference for the gradients; and, for
the mutual-information bound, correlated Gaussians whose MI is known in closed form, scored by the
optimal critic log p(y | x): the bound never exceeds log N and tightens towards the true MI as N grows.
"""
import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import seeds, torch_float_dtypes
from grader.testing import assert_close, assert_dtype, call_unmodified, describe_call

TEMPS = st.sampled_from([0.05, 0.1, 0.5, 1.0, 2.0])


def tol(dtype: torch.dtype) -> float:
    return 1e-4 if dtype == torch.float32 else 1e-10   # float32 log-softmax over <= 16 terms of size <= 20


@given(n=st.integers(1, 8), seed=seeds(), dtype=torch_float_dtypes(), scale=st.sampled_from([1.0, 10.0]))
@example(n=1, seed=0, dtype=torch.float64, scale=1.0)   # one pair: loss 0
def test_scores_loss_is_cross_entropy_on_the_diagonal(kata, n, seed, dtype, scale):
    scores = (torch.randn(n, n, generator=torch.Generator().manual_seed(seed), dtype=torch.float64) * scale).to(dtype)
    call = describe_call("info_nce_from_scores", scores)
    got = call_unmodified(kata.info_nce_from_scores, scores, fn_name="info_nce_from_scores")
    assert_dtype(got, scores, call=call)
    s = scores.double().numpy()
    want = -np.mean([s[i, i] - np.log(np.exp(s[i]).sum()) for i in range(n)])
    assert_close(got, want, rtol=tol(dtype), atol=tol(dtype), call=call)
    assert_close(got, F.cross_entropy(scores.double(), torch.arange(n)), rtol=tol(dtype), atol=tol(dtype),
                 name="loss vs F.cross_entropy(scores, arange(N))", call=call)


@given(shape=st.sampled_from([(2, 3), (3, 2), (4,), (2, 2, 2)]))
def test_scores_loss_rejects_non_square(kata, shape):
    with pytest.raises(ValueError):
        kata.info_nce_from_scores(torch.zeros(shape))
        pytest.fail(f"info_nce_from_scores(shape {shape}) returned instead of raising ValueError")


def cos_matrix(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    a = a / np.linalg.norm(a, axis=1, keepdims=True)
    b = b / np.linalg.norm(b, axis=1, keepdims=True)
    return a @ b.T


@given(n=st.integers(1, 8), d=st.integers(1, 6), t=TEMPS, seed=seeds(), dtype=torch_float_dtypes())
def test_info_nce_matches_definition_and_its_gradient(kata, n, d, t, seed, dtype):
    g = torch.Generator().manual_seed(seed)
    q = (torch.randn(n, d, generator=g, dtype=torch.float64) * 3).to(dtype).requires_grad_()
    k = (torch.randn(n, d, generator=g, dtype=torch.float64)).to(dtype)
    call = describe_call("info_nce", q, k, temperature=t)
    got = call_unmodified(kata.info_nce, q, k, temperature=t, fn_name="info_nce")
    assert_dtype(got, q, call=call)
    s = cos_matrix(q.detach().double().numpy(), k.double().numpy()) / t
    want = -np.mean([s[i, i] - np.log(np.exp(s[i]).sum()) for i in range(n)])
    assert_close(got.detach(), want, rtol=tol(dtype) * 10, atol=tol(dtype) * 10, call=call)
    got.backward()
    q64 = q.detach().double().requires_grad_()
    ref = F.cross_entropy(F.normalize(q64, dim=1) @ F.normalize(k.double(), dim=1).T / t, torch.arange(n))
    ref.backward()
    assert q.grad is not None, f"{call}: the loss does not reach query in the graph (detached?)"
    assert_close(q.grad, q64.grad, rtol=tol(dtype) * 10, atol=tol(dtype) * 10, name="gradient w.r.t. query",
                 call=call)


def test_info_nce_default_temperature_is_one_tenth(kata):
    q = torch.tensor([[1.0, 0.0], [0.0, 1.0]], dtype=torch.float64)
    k = torch.tensor([[1.0, 1.0], [0.0, 1.0]], dtype=torch.float64)
    s = cos_matrix(q.numpy(), k.numpy()) / 0.1
    want = -np.mean([s[i, i] - np.log(np.exp(s[i]).sum()) for i in range(2)])
    assert_close(kata.info_nce(q, k), want, rtol=1e-10, atol=1e-12, call=describe_call("info_nce", q, k))


def nt_xent_reference(z1: np.ndarray, z2: np.ndarray, t: float) -> float:
    n = len(z1)
    z = np.concatenate([z1, z2])
    s = cos_matrix(z, z) / t
    losses = []
    for a in range(2 * n):
        p = (a + n) % (2 * n)
        others = [b for b in range(2 * n) if b != a]
        losses.append(-(s[a, p] - np.log(np.exp(s[a, others]).sum())))
    return float(np.mean(losses))


@given(n=st.integers(1, 6), d=st.integers(1, 5), t=TEMPS, seed=seeds(), dtype=torch_float_dtypes())
@example(n=1, d=3, t=0.5, seed=0, dtype=torch.float64)    # two views only: the positive is the only other term
def test_nt_xent_matches_definition(kata, n, d, t, seed, dtype):
    g = torch.Generator().manual_seed(seed)
    z1 = (torch.randn(n, d, generator=g, dtype=torch.float64) * 2).to(dtype)
    z2 = (z1.double() + 0.5 * torch.randn(n, d, generator=g, dtype=torch.float64)).to(dtype)
    call = describe_call("nt_xent", z1, z2, temperature=t)
    got = call_unmodified(kata.nt_xent, z1, z2, temperature=t, fn_name="nt_xent")
    assert_dtype(got, z1, call=call)
    assert_close(got, nt_xent_reference(z1.double().numpy(), z2.double().numpy(), t), rtol=tol(dtype) * 10,
                 atol=tol(dtype) * 10, call=call)


def test_nt_xent_default_temperature_is_one_half(kata):
    z1 = torch.tensor([[1.0, 0.0], [0.3, 1.0], [-1.0, 0.2]], dtype=torch.float64)
    z2 = torch.tensor([[0.8, 0.1], [0.0, 1.0], [-0.5, -0.5]], dtype=torch.float64)
    assert_close(kata.nt_xent(z1, z2), nt_xent_reference(z1.numpy(), z2.numpy(), 0.5), rtol=1e-10, atol=1e-12,
                 call=describe_call("nt_xent", z1, z2))


@given(fn=st.sampled_from(["info_nce", "nt_xent"]), bad=st.sampled_from(["shape", "rank", "t0", "t_neg"]))
def test_losses_reject_bad_arguments(kata, fn, bad):
    a, b, t = torch.randn(3, 4), torch.randn(3, 4), 0.5
    if bad == "shape":
        b = torch.randn(3, 5)
    elif bad == "rank":
        a, b = torch.randn(3, 4, 2), torch.randn(3, 4, 2)
    elif bad == "t0":
        t = 0.0
    else:
        t = -0.5
    with pytest.raises(ValueError):
        getattr(kata, fn)(a, b, temperature=t)
        pytest.fail(f"{fn} with {bad} returned instead of raising ValueError")


@given(n=st.integers(1, 10), seed=seeds(), scale=st.sampled_from([0.1, 3.0, 30.0]))
def test_bound_is_log_n_minus_the_loss_and_never_above_log_n(kata, n, seed, scale):
    scores = torch.randn(n, n, generator=torch.Generator().manual_seed(seed), dtype=torch.float64) * scale
    scores = scores + torch.eye(n, dtype=torch.float64) * scale * 3    # a good critic: close to the cap
    got = kata.mi_lower_bound(scores)
    call = describe_call("mi_lower_bound", scores)
    want = math.log(n) - F.cross_entropy(scores, torch.arange(n)).item()
    assert_close(got, want, rtol=1e-10, atol=1e-10, name="bound (log N - InfoNCE)", call=call)
    assert float(got) <= math.log(n) + 1e-12, f"{call} = {float(got):.6g} exceeds log N = {math.log(n):.6g}"


def gaussian_scores(n: int, rho: float, d: int, g: torch.Generator) -> torch.Tensor:
    x = torch.randn(n, d, generator=g, dtype=torch.float64)
    y = rho * x + math.sqrt(1 - rho ** 2) * torch.randn(n, d, generator=g, dtype=torch.float64)
    return -torch.cdist(rho * x, y) ** 2 / (2 * (1 - rho ** 2))    # log p(y_j | x_i) + const: the optimal critic


@settings(max_examples=5)
@given(seed=seeds())
def test_bound_tightens_towards_the_true_mi(kata, seed):
    rho, d = 0.95, 2
    true_mi = -d / 2 * math.log(1 - rho ** 2)   # 2.33 nats
    g = torch.Generator().manual_seed(seed)
    small = np.mean([float(kata.mi_lower_bound(gaussian_scores(4, rho, d, g))) for _ in range(40)])
    large = np.mean([float(kata.mi_lower_bound(gaussian_scores(256, rho, d, g))) for _ in range(8)])
    assert small <= math.log(4) + 1e-9, f"mean bound at N = 4 is {small:.4f}, above log 4 = {math.log(4):.4f}"
    assert large > small + 0.5, (f"mean bound at N = 256 is {large:.4f} vs {small:.4f} at N = 4: with the optimal "
                                 f"critic the bound should rise towards the true MI {true_mi:.3f} as N grows")
    assert large <= true_mi + 0.1, f"mean bound at N = 256 is {large:.4f}, above the true MI {true_mi:.4f}"
