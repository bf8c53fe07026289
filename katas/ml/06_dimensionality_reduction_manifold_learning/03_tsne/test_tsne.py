"""Tests for ml-06-3, t-SNE's perplexity calibration and KL gradient.

References: the entropy of every conditional row (closed form) must equal log(perplexity);
sklearn.manifold's own binary search (_utils._binary_search_perplexity, a private function, with a
brentq root-finder as fallback should it move) and _t_sne._joint_probabilities; and torch autograd
of the KL objective in float64 for the gradient.
"""
import numpy as np
import torch
from hypothesis import assume, example, given
from hypothesis import strategies as st
from scipy.optimize import brentq
from scipy.spatial.distance import squareform

from grader.strategies import seeds
from grader.testing import assert_close, assert_shape, call_unmodified, describe_call

try:
    from sklearn.manifold._t_sne import _joint_probabilities as sk_joint
    from sklearn.manifold._utils import _binary_search_perplexity as sk_search
except ImportError:  # private API: fall back to an independent root-finder
    sk_search = sk_joint = None

SCALES = st.sampled_from([0.1, 1.0, 10.0, 30.0])


def make_points(seed: int, n: int, d: int, scale: float) -> np.ndarray:
    return np.random.default_rng(seed).normal(size=(n, d)) * scale


def sq_dists(X: np.ndarray) -> np.ndarray:
    diff = X[:, None, :] - X[None, :, :]
    return np.einsum("ijk,ijk->ij", diff, diff)


def pick_perplexity(n: int, frac: float) -> float:
    """Between 1.5 and 60% of the n - 1 neighbours: a well-posed search."""
    return 1.5 + frac * (0.6 * (n - 1) - 1.5)


def row_entropies(P: np.ndarray) -> np.ndarray:
    logs = np.log(np.where(P > 0, P, 1.0))
    return -np.sum(P * logs, axis=1)


def gaussian_rows(D: np.ndarray, beta: np.ndarray) -> np.ndarray:
    """The conditional rows that the precisions beta define (stable closed form)."""
    n = len(D)
    off = ~np.eye(n, dtype=bool)
    shifted = D - np.where(off, D, np.inf).min(axis=1, keepdims=True)
    W = np.where(off, np.exp(-beta[:, None] * np.where(off, shifted, 0.0)), 0.0)
    return W / W.sum(axis=1, keepdims=True)


def reference_conditional(D: np.ndarray, perplexity: float) -> np.ndarray:
    if sk_search is not None:
        return np.asarray(sk_search(D.astype(np.float32), perplexity, 0), dtype=np.float64)
    n = len(D)
    beta = np.empty(n)
    for i in range(n):
        def excess(log_beta: float, i: int = i) -> float:
            b = np.full(n, np.exp(log_beta))
            return float(row_entropies(gaussian_rows(D, b))[i] - np.log(perplexity))
        beta[i] = np.exp(brentq(excess, -60.0, 60.0, xtol=1e-13))
    return gaussian_rows(D, beta)


@given(seed=seeds(), n=st.integers(4, 25), d=st.integers(1, 4), scale=SCALES, frac=st.floats(0.0, 1.0))
@example(seed=0, n=4, d=1, scale=1.0, frac=0.0)
@example(seed=156, n=29, d=1, scale=0.1, frac=0.0)  # tiny distances: beta must climb to ~1e7
@example(seed=1, n=20, d=4, scale=30.0, frac=0.0)  # huge distances: exp(-beta d) underflows unless shifted
def test_rows_reach_the_target_perplexity(kata, seed, n, d, scale, frac):
    X = make_points(seed, n, d, scale)
    D = sq_dists(X)
    perp = pick_perplexity(n, frac)
    call = describe_call("conditional_probabilities", D, perp, tol=1e-5)
    P, beta = call_unmodified(kata.conditional_probabilities, D, perp, tol=1e-5)
    P, beta = np.asarray(P, dtype=np.float64), np.asarray(beta, dtype=np.float64)
    assert_shape(P, (n, n), name="P", call=call)
    assert_shape(beta, (n,), name="beta", call=call)
    assert np.all(np.isfinite(P)), f"{call} returned non-finite probabilities (did exp(-beta d) underflow to 0/0?)"
    assert_close(np.diag(P), np.zeros(n), rtol=0, atol=0, name="diagonal p_{i|i} (a point is not its own neighbour)",
                 call=call)
    assert_close(P.sum(axis=1), np.ones(n), rtol=0, atol=1e-12, name="row sums", call=call)
    # The search stops once |H - log(perplexity)| <= tol = 1e-5 nats; 1e-9 more for rounding.
    assert_close(row_entropies(P), np.full(n, np.log(perp)), rtol=0, atol=1e-5 + 1e-9,
                 name="entropy of each row in nats (should be log(perplexity))", call=call)
    # Given beta, the rows are fixed: a Gaussian kernel exp(-beta_i d_ij) in the SQUARED distance.
    assert_close(P, gaussian_rows(D, beta), rtol=1e-8, atol=1e-13,
                 name="P against exp(-beta_i d_ij) / sum_k exp(-beta_i d_ik) with your beta", call=call)


@given(seed=seeds(), n=st.integers(3, 15), d=st.integers(1, 3), frac=st.floats(0.0, 1.0))
@example(seed=0, n=5, d=2, frac=0.5)
def test_tol_and_max_iter_bound_the_search(kata, seed, n, d, frac):
    """The search starts at beta = 1: with a tol wider than any entropy gap it stops there, and with
    max_iter = 1 the rows are those of beta = 1 whatever the gap."""
    D = sq_dists(make_points(seed, n, d, 1.0))
    perp = pick_perplexity(n, frac)
    call = describe_call("conditional_probabilities", D, perp, tol=100.0)
    P, beta = call_unmodified(kata.conditional_probabilities, D, perp, tol=100.0)
    assert_close(np.asarray(beta, dtype=np.float64), np.ones(n), rtol=0, atol=0,
                 name="beta (|H - log(perplexity)| <= tol already at the start, beta = 1)", call=call)
    assert_close(P, gaussian_rows(D, np.ones(n)), rtol=1e-12, atol=1e-15, name="P (the rows of beta = 1)", call=call)
    call = describe_call("conditional_probabilities", D, perp, max_iter=1)
    P, _ = call_unmodified(kata.conditional_probabilities, D, perp, max_iter=1)
    assert_close(P, gaussian_rows(D, np.ones(n)), rtol=1e-12, atol=1e-15,
                 name="P after max_iter = 1 step (the rows computed at the starting beta = 1)", call=call)


@given(n=st.integers(3, 12), c=st.sampled_from([0.25, 1.0, 7.0]))
@example(n=4, c=1.0)
def test_equidistant_points_stop_at_the_start(kata, n, c):
    """All squared distances c: every row is uniform over n - 1 neighbours whatever beta, so its entropy
    is log(n - 1) = log(perplexity) for perplexity n - 1 and the search stops at once, at beta = 1."""
    D = c * (1.0 - np.eye(n))
    call = describe_call("conditional_probabilities", D, float(n - 1))
    P, beta = call_unmodified(kata.conditional_probabilities, D, float(n - 1))
    assert_close(P, (1.0 - np.eye(n)) / (n - 1), rtol=1e-12, atol=0, name="P (uniform rows)", call=call)
    assert_close(np.asarray(beta, dtype=np.float64), np.ones(n), rtol=0, atol=0,
                 name="beta (the entropy is on target at the start: |H - log(perplexity)| <= tol stops)", call=call)


@given(seed=seeds(), n=st.integers(4, 25), d=st.integers(1, 4), scale=st.sampled_from([0.3, 1.0, 3.0]),
       frac=st.floats(0.0, 1.0))
@example(seed=2, n=25, d=4, scale=1.0, frac=1.0)
def test_matches_sklearn_binary_search(kata, seed, n, d, scale, frac):
    X = make_points(seed, n, d, scale)
    D = sq_dists(X)
    perp = pick_perplexity(n, frac)
    ref = reference_conditional(D, perp)
    # sklearn works in float32 without shifting; skip the rare rows where that kept it from converging.
    assume(np.max(np.abs(row_entropies(ref) - np.log(perp))) <= 2e-5)
    call = describe_call("conditional_probabilities", D, perp)
    P, _ = call_unmodified(kata.conditional_probabilities, D, perp)
    # Both searches stop within 1e-5 nats of the target (sklearn on float32 distances): the rows
    # agree to ~1e-5; following the README's search exactly gives ~1e-6.
    assert_close(P, ref, rtol=0, atol=1e-4, name="conditional P (vs sklearn's binary search)", call=call)


@given(seed=seeds(), n=st.integers(4, 25), d=st.integers(1, 4), scale=st.sampled_from([0.3, 1.0, 3.0]),
       frac=st.floats(0.0, 1.0))
@example(seed=3, n=4, d=2, scale=1.0, frac=0.5)
def test_joint_probabilities_match_sklearn(kata, seed, n, d, scale, frac):
    X = make_points(seed, n, d, scale)
    D = sq_dists(X)
    perp = pick_perplexity(n, frac)
    cond = reference_conditional(D, perp)
    assume(np.max(np.abs(row_entropies(cond) - np.log(perp))) <= 2e-5)
    if sk_joint is not None:
        want = squareform(sk_joint(D, perp, 0))
    else:
        want = (cond + cond.T) / (2 * n)
    call = describe_call("joint_probabilities", X, perp)
    P = np.asarray(call_unmodified(kata.joint_probabilities, X, perp), dtype=np.float64)
    assert_shape(P, (n, n), call=call)
    assert_close(P.sum(), 1.0, rtol=0, atol=1e-10, name="sum of all p_ij (a joint distribution sums to 1)", call=call)
    assert_close(P, P.T, rtol=0, atol=1e-15, name="P (must be symmetric)", call=call)
    # Entries are ~1/n^2 and inherit the 1e-4 absolute agreement of the rows, divided by 2n.
    assert_close(P, want, rtol=0, atol=1e-4 / (2 * n), name="joint P (vs sklearn)", call=call)


def torch_kl(P: np.ndarray, Y: np.ndarray) -> tuple[float, np.ndarray]:
    """The KL objective written directly in torch (float64), differentiated by autograd."""
    p = torch.tensor(P, dtype=torch.float64)
    y = torch.tensor(Y, dtype=torch.float64, requires_grad=True)
    n = len(P)
    off = ~torch.eye(n, dtype=torch.bool)
    w = 1.0 / (1.0 + ((y[:, None, :] - y[None, :, :]) ** 2).sum(-1))
    w = torch.where(off, w, torch.zeros_like(w))
    q = w / w.sum()
    pos = p > 0
    kl = torch.sum(torch.where(pos, p * (torch.log(torch.where(pos, p, 1.0)) - torch.log(torch.where(off, q, 1.0))),
                               torch.zeros_like(p)))
    kl.backward()
    return float(kl.detach()), y.grad.numpy()


def random_P(seed: int, n: int, zero_frac: float) -> np.ndarray:
    rng = np.random.default_rng(seed)
    A = rng.uniform(0.05, 1.0, size=(n, n))
    A = A + A.T
    A[rng.uniform(size=(n, n)) < zero_frac] = 0.0
    A = np.minimum(A, A.T)  # zeros stay symmetric
    np.fill_diagonal(A, 0.0)
    if A.sum() == 0:
        A[0, 1] = A[1, 0] = 1.0
    return A / A.sum()


@given(seed=seeds(), n=st.integers(2, 20), m=st.integers(1, 3), y_scale=st.sampled_from([0.01, 1.0, 5.0]),
       zero_frac=st.sampled_from([0.0, 0.3]))
@example(seed=0, n=2, m=1, y_scale=1.0, zero_frac=0.0)
@example(seed=4, n=12, m=2, y_scale=1.0, zero_frac=0.3)  # zeros in P: 0 * log 0 counts as 0
def test_kl_and_gradient_match_autograd(kata, seed, n, m, y_scale, zero_frac):
    P = random_P(seed, n, zero_frac)
    Y = np.random.default_rng(seed + 1).normal(size=(n, m)) * y_scale
    call = describe_call("kl_divergence_and_gradient", P, Y)
    kl, grad = call_unmodified(kata.kl_divergence_and_gradient, P, Y)
    want_kl, want_grad = torch_kl(P, Y)
    # float64 sums of <= 400 terms of size <= ~10: agreement to ~1e-13 relative.
    assert_close(float(kl), want_kl, rtol=1e-9, atol=1e-12, name="KL(P || Q)", call=call)
    assert_close(grad, want_grad, rtol=1e-7, atol=1e-10, name="gradient dKL/dY (vs torch autograd)", call=call)


@given(seed=seeds(), n=st.integers(2, 15), m=st.integers(1, 3))
def test_gradient_vanishes_when_p_equals_q(kata, seed, n, m):
    """If P is exactly the Q of the embedding, KL = 0 and Y is a stationary point."""
    Y = np.random.default_rng(seed).normal(size=(n, m))
    W = 1.0 / (1.0 + sq_dists(Y))
    np.fill_diagonal(W, 0.0)
    Q = W / W.sum()
    call = describe_call("kl_divergence_and_gradient", Q, Y) + " with P = Q(Y)"
    kl, grad = call_unmodified(kata.kl_divergence_and_gradient, Q, Y)
    assert_close(float(kl), 0.0, rtol=0, atol=1e-12, name="KL(Q || Q)", call=call)
    assert_close(grad, np.zeros((n, m)), rtol=0, atol=1e-12, name="gradient at P = Q", call=call)
