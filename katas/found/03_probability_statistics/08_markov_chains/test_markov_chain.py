"""Tests for found-03-8, Markov chains.

References: numpy.linalg.matrix_power for P^n; scipy.linalg.null_space(Pᵀ − I) for the stationary
distribution (the left eigenvector for eigenvalue 1), plus πP = π; and the mixing time from its
definition, computed by brute force, with exact boundaries on a chain whose distances are known.
"""
import numpy as np
import pytest
import scipy.linalg
from hypothesis import example, given
from hypothesis import strategies as st

from grader.strategies import seeds
from grader.testing import assert_close, assert_shape, call_unmodified, describe_call


def chain(seed: int, k: int, sparse: bool = False) -> np.ndarray:
    rng = np.random.default_rng(seed)
    P = rng.dirichlet(np.full(k, 0.5), size=k)
    if sparse:  # a lazy walk on a cycle plus random mass: irreducible and aperiodic, slower mixing
        P = 0.5 * np.eye(k) + 0.3 * np.roll(np.eye(k), 1, axis=1) + 0.2 * P
    return P / P.sum(axis=1, keepdims=True)


@given(k=st.integers(1, 6), n=st.integers(0, 40), seed=seeds())
@example(k=3, n=0, seed=0)  # P^0 = I
@example(k=3, n=1, seed=1)
def test_n_step_matches_matrix_power(kata, k, n, seed):
    P = chain(seed, k)
    call = describe_call("n_step", P, n)
    got = call_unmodified(kata.n_step, P, n)
    assert_shape(got, (k, k), call=call)
    assert_close(got, np.linalg.matrix_power(P, n), rtol=1e-10, atol=1e-12, call=call)


@given(k=st.integers(1, 6), n=st.integers(0, 30), seed=seeds())
def test_distribution_after(kata, k, n, seed):
    P = chain(seed, k)
    pi0 = np.random.default_rng(seed + 1).dirichlet(np.ones(k))
    call = describe_call("distribution_after", pi0, P, n)
    got = call_unmodified(kata.distribution_after, pi0, P, n)
    assert_close(got, pi0 @ np.linalg.matrix_power(P, n), rtol=1e-10, atol=1e-12,
                 name="pi0 P^n (a row vector times the matrix)", call=call)


@given(k=st.integers(1, 7), seed=seeds(), sparse=st.booleans())
@example(k=1, seed=0, sparse=False)
@example(k=5, seed=1, sparse=True)
def test_stationary_distribution(kata, k, seed, sparse):
    P = chain(seed, k, sparse)
    call = describe_call("stationary_distribution", P)
    pi = call_unmodified(kata.stationary_distribution, P)
    assert_shape(pi, (k,), call=call)
    v = scipy.linalg.null_space(P.T - np.eye(k), rcond=1e-9)[:, 0]
    assert_close(pi, v / v.sum(), rtol=1e-8, atol=1e-10, name="π (left eigenvector for eigenvalue 1, summing to 1)",
                 call=call)
    assert_close(np.asarray(pi) @ P, pi, rtol=1e-8, atol=1e-10, name="π P (should be π)", call=call)


@given(k=st.integers(1, 6), seed=seeds())
def test_total_variation(kata, k, seed):
    rng = np.random.default_rng(seed)
    p, q = rng.dirichlet(np.ones(k)), rng.dirichlet(np.ones(k))
    got = call_unmodified(kata.total_variation, p, q)
    assert_close(got, 0.5 * np.abs(p - q).sum(), rtol=1e-12, atol=1e-15, name="½ Σ|p − q|",
                 call=describe_call("total_variation", p, q))
    assert kata.total_variation(np.eye(k)[0], np.eye(k)[0]) == 0.0 and (
        k == 1 or np.isclose(kata.total_variation(np.eye(k)[0], np.eye(k)[-1]), 1.0)), "TV of disjoint point masses is 1"


def brute_mixing(P: np.ndarray, eps: float, max_t: int) -> int | None:
    v = scipy.linalg.null_space(P.T - np.eye(len(P)), rcond=1e-9)[:, 0]
    pi, Pt = v / v.sum(), np.eye(len(P))
    for t in range(max_t + 1):
        if max(0.5 * np.abs(row - pi).sum() for row in Pt) <= eps:
            return t
        Pt = Pt @ P
    return None


@given(k=st.integers(2, 6), seed=seeds(), eps=st.sampled_from([0.25, 0.1, 0.01]), sparse=st.booleans())
@example(k=6, seed=0, eps=0.01, sparse=True)
def test_mixing_time_matches_definition(kata, k, seed, eps, sparse):
    P = chain(seed, k, sparse)
    want = brute_mixing(P, eps, 2000)
    call = describe_call("mixing_time", P, eps)
    got = call_unmodified(kata.mixing_time, P, eps)
    assert got == want, f"{call} returned {got}, expected {want} (the first t where the WORST start state is within eps)"


@pytest.mark.parametrize(("eps", "want"), [(0.5, 0), (0.4999, 1), (0.25, 1)])
def test_mixing_time_boundary_is_inclusive(kata, eps, want):
    """P with identical rows (½, ½) mixes in one step; at t = 0 the distance from a point mass is exactly ½."""
    P = np.full((2, 2), 0.5)
    got = kata.mixing_time(P, eps)
    assert got == want, f"mixing_time([[.5, .5], [.5, .5]], eps={eps}) returned {got}, expected {want}"


def test_mixing_time_limits(kata):
    flip = np.array([[0.0, 1.0], [1.0, 0.0]])  # periodic: P^t alternates, never approaches (½, ½)
    with pytest.raises(ValueError):
        kata.mixing_time(flip, 0.25, max_t=50)
        pytest.fail("mixing_time of the periodic chain [[0, 1], [1, 0]] returned instead of raising ValueError")
    slow = np.array([[0.99, 0.01], [0.01, 0.99]])
    t = brute_mixing(slow, 0.25, 1000)
    assert kata.mixing_time(slow, 0.25, max_t=t) == t, f"mixing_time(slow, max_t={t}) must still find t = {t}"
    with pytest.raises(ValueError):
        kata.mixing_time(slow, 0.25, max_t=t - 1)
        pytest.fail(f"mixing_time(slow chain, max_t={t - 1}) returned, but it only mixes at t = {t}")


def test_invalid_inputs_raise(kata):
    bad_P = np.array([[0.5, 0.6], [0.5, 0.5]])
    cases = [(kata.n_step, (bad_P, 2), "rows do not sum to 1"), (kata.n_step, (np.eye(2), -1), "n < 0"),
             (kata.stationary_distribution, (np.array([[1.5, -0.5], [0.5, 0.5]]),), "a negative entry"),
             (kata.mixing_time, (np.full((2, 2), 0.5), 0.0), "eps = 0"), (kata.mixing_time, (np.full((2, 2), 0.5), 1.0), "eps = 1"),
             (kata.mixing_time, (bad_P,), "rows do not sum to 1")]
    for fn, args, why in cases:
        with pytest.raises(ValueError):
            fn(*args)
            pytest.fail(f"{describe_call(fn.__name__, *args)} returned instead of raising ValueError: {why}")
