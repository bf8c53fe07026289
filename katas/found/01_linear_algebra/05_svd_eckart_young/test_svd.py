"""Tests for found-01-5, the SVD from the eigendecomposition of AᵀA, and Eckart–Young.

References: numpy.linalg.svd (singular values; vectors with signs fixed by V), the defining
properties (orthonormal U and V, A = U S Vᵀ) on rank-deficient and wide inputs, and the
Eckart–Young theorem: ‖A − A_k‖ equals the tail singular values, and random rank-k matrices
do no better. np.linalg.svd is switched off while the learner's code runs.
"""
from unittest import mock

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from grader.strategies import dims, float_dtypes, seeds
from grader.testing import (
    assert_close,
    assert_dtype,
    assert_equal,
    assert_shape,
    call_unmodified,
    describe_call,
)


def no_svd(*args: object, **kwargs: object) -> None:
    raise AssertionError("np.linalg.svd was called: build the SVD from np.linalg.eigh(A.T @ A) instead")


def learner(fn, *args: object) -> object:
    """Call the learner's function with the library SVDs switched off and the inputs watched."""
    with mock.patch("numpy.linalg.svd", no_svd), mock.patch("scipy.linalg.svd", no_svd):
        return call_unmodified(fn, *args)


def conditioned(seed: int, m: int, n: int, log10_cond: float) -> np.ndarray:
    """A with singular values spread over 10^(log10_cond + 0.5), distinct (so vectors are unique up to sign)."""
    rng = np.random.default_rng(seed)
    k = min(m, n)
    u, _ = np.linalg.qr(rng.standard_normal((m, k)))
    v, _ = np.linalg.qr(rng.standard_normal((n, k)))
    s = np.logspace(0, -log10_cond - 0.5, k) * rng.uniform(0.5, 2.0)
    return (u * s) @ v.T


def sign_fix(U: np.ndarray, Vt: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Flip each singular pair so the largest-|entry| of its right vector is positive."""
    idx = np.argmax(np.abs(Vt), axis=1)
    signs = np.where(Vt[np.arange(len(Vt)), idx] < 0, -1.0, 1.0)
    return U * signs, Vt * signs[:, None]


def check_svd(U: np.ndarray, s: np.ndarray, Vt: np.ndarray, A: np.ndarray, call: str, atol: float) -> None:
    m, n = A.shape
    k = min(m, n)
    for name, M, shape in (("U", U, (m, k)), ("s", s, (k,)), ("Vt", Vt, (k, n))):
        assert_shape(M, shape, name=name, call=call)
        assert_dtype(M, np.float64, name=name, call=call)
    s = np.asarray(s)
    assert np.all(s >= 0) and np.all(np.diff(s) <= 0), f"{call}: s = {s} is not non-negative and decreasing"
    assert_close(U.T @ U, np.eye(k), rtol=0, atol=atol, name="UᵀU (should be I)", call=call)
    assert_close(Vt @ Vt.T, np.eye(k), rtol=0, atol=atol, name="Vt Vtᵀ (should be I: orthonormal rows)", call=call)
    assert_close((U * s) @ Vt, A.astype(np.float64), rtol=0, atol=atol * max(1.0, float(np.max(np.abs(A)))),
                 name="U diag(s) Vt (should be A)", call=call)


@given(m=dims(1, 6), n=dims(1, 6), seed=seeds(), log10_cond=st.integers(0, 2), dtype=float_dtypes())
@example(m=1, n=1, seed=0, log10_cond=0, dtype=np.float64)
@example(m=2, n=5, seed=1, log10_cond=2, dtype=np.float64)  # wide: work on Aᵀ
@example(m=6, n=1, seed=2, log10_cond=0, dtype=np.float32)
def test_svd_matches_numpy(kata, m, n, seed, log10_cond, dtype):
    A = conditioned(seed, m, n, log10_cond).astype(dtype)
    call = describe_call("svd_via_eigh", A)
    U, s, Vt = learner(kata.svd_via_eigh, A)
    # Going through AᵀA squares the condition number: the error is about cond² · eps (<= 1e5 · 2e-16).
    check_svd(U, s, Vt, A, call, atol=1e-9)
    U_ref, s_ref, Vt_ref = np.linalg.svd(A.astype(np.float64), full_matrices=False)
    assert_close(s, s_ref, rtol=0, atol=1e-12 * s_ref[0], name="s (decreasing)", call=call)
    U_ref, Vt_ref = sign_fix(U_ref, Vt_ref)
    U, Vt = sign_fix(np.asarray(U), np.asarray(Vt))
    assert_close(Vt, Vt_ref, rtol=0, atol=1e-8, name="Vt (up to the sign of each pair)", call=call)
    assert_close(U, U_ref, rtol=0, atol=1e-8, name="U (up to the sign of each pair)", call=call)


@given(m=dims(2, 6), n=dims(2, 6), rank=st.integers(0, 5), seed=seeds())
@example(m=3, n=3, rank=0, seed=0)  # the zero matrix: U is entirely a completion
@example(m=5, n=2, rank=1, seed=1)
@example(m=2, n=6, rank=1, seed=2)
def test_svd_of_rank_deficient_matrices(kata, m, n, rank, seed):
    rank = min(rank, min(m, n) - 1)
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((m, rank)) @ rng.standard_normal((rank, n))
    call = describe_call("svd_via_eigh", A) + f" of rank {rank}"
    U, s, Vt = learner(kata.svd_via_eigh, A)
    check_svd(U, s, Vt, A, call, atol=1e-9)
    assert_equal(np.asarray(s)[rank:], np.zeros(min(m, n) - rank),
                 name=f"s[{rank}:] (rounding-noise eigenvalues are cut to exactly 0)", call=call)
    s_ref = np.linalg.svd(A, compute_uv=False)
    assert_close(s, s_ref, rtol=0, atol=1e-7 * max(s_ref[0], 1.0), name="s", call=call)


def test_svd_rejects_1d(kata):
    with pytest.raises(ValueError):
        kata.svd_via_eigh(np.ones(3))
        pytest.fail("svd_via_eigh(float64[3]) returned instead of raising ValueError")


@given(m=dims(1, 6), n=dims(1, 6), k=st.integers(0, 6), seed=seeds())
@example(m=4, n=4, k=0, seed=0)
@example(m=4, n=3, k=3, seed=1)  # full rank: A_k = A
def test_low_rank_approx_errors_are_the_tail(kata, m, n, k, seed):
    k = min(k, m, n)
    A = conditioned(seed, m, n, 2)
    call = describe_call("low_rank_approx", A, k)
    Ak = learner(kata.low_rank_approx, A, k)
    assert_shape(Ak, (m, n), call=call)
    U, s, Vt = np.linalg.svd(A, full_matrices=False)
    assert_close(Ak, (U[:, :k] * s[:k]) @ Vt[:k], rtol=0, atol=1e-8, name="A_k", call=call)
    assert np.linalg.matrix_rank(Ak, tol=1e-9) == k, f"{call}: A_k has rank {np.linalg.matrix_rank(Ak, tol=1e-9)}, expected {k}"
    fro, spec = kata.eckart_young_errors(s, k)
    assert_close(np.linalg.norm(A - Ak), fro, rtol=1e-7, atol=1e-12, name="‖A − A_k‖_F vs the Frobenius tail",
                 call=call)
    assert_close(np.linalg.norm(A - Ak, 2), spec, rtol=1e-7, atol=1e-12, name="‖A − A_k‖_2 vs s[k]", call=call)


@given(m=dims(2, 6), n=dims(2, 6), k=st.integers(1, 5), seed=seeds())
def test_no_random_rank_k_matrix_beats_a_k(kata, m, n, k, seed):
    k = min(k, m, n)
    A = conditioned(seed, m, n, 1)
    Ak = kata.low_rank_approx(A, k)
    best = np.linalg.norm(A - Ak)
    rng = np.random.default_rng(seed + 1)
    for _ in range(20):  # random rank-k matrices, and small perturbations of A_k along rank-k directions
        B = rng.standard_normal((m, k)) @ rng.standard_normal((k, n))
        U, s, Vt = np.linalg.svd(Ak + 1e-3 * B, full_matrices=False)
        for C in (B, (U[:, :k] * s[:k]) @ Vt[:k]):
            assert np.linalg.norm(A - C) >= best - 1e-12, (
                f"low_rank_approx(A, {k}) has error {best:.6g}, but a rank-{k} matrix gets {np.linalg.norm(A - C):.6g}")


@given(s=st.lists(st.floats(0, 10, width=32), min_size=1, max_size=6), k=st.integers(0, 6))
@example(s=[3.0, 4.0], k=0)  # sqrt(9 + 16) = 5: a root of the sum of squares, not a plain sum (7)
@example(s=[5.0, 2.0, 1.0], k=3)
@example(s=[5.0, 2.0, 1.0], k=1)
def test_eckart_young_errors(kata, s, k):
    s = np.sort(np.array(s))[::-1].copy()
    k = min(k, len(s))
    call = describe_call("eckart_young_errors", s, k)
    fro, spec = call_unmodified(kata.eckart_young_errors, s, k)
    assert_close(fro, np.sqrt(np.sum(s[k:] ** 2)), rtol=1e-12, atol=0, name="Frobenius error", call=call)
    assert_close(spec, s[k] if k < len(s) else 0.0, rtol=0, atol=0, name="spectral error (s[k])", call=call)
    assert isinstance(fro, float) and isinstance(spec, float), f"{call} returned {type(fro)}, {type(spec)}, expected floats"


def test_bad_k_raises(kata):
    A = np.ones((3, 2))
    for k in (-1, 3):
        with pytest.raises(ValueError):
            kata.low_rank_approx(A, k)
            pytest.fail(f"low_rank_approx(float64[3, 2], {k}) returned instead of raising ValueError")
        with pytest.raises(ValueError):
            kata.eckart_young_errors(np.array([2.0, 1.0]), k)
            pytest.fail(f"eckart_young_errors(s of length 2, {k}) returned instead of raising ValueError")
    with pytest.raises(ValueError):
        kata.low_rank_approx(np.ones(3), 1)
        pytest.fail("low_rank_approx(float64[3], 1) returned instead of raising ValueError: A is 1-D")
