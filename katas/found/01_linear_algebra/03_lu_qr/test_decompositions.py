"""Tests for found-01-3, LU with partial pivoting and Householder QR.

References: scipy.linalg.lu (the same pivot rule, so P, L, U agree), numpy.linalg.qr with the signs
of R's diagonal made non-negative (unique for full-rank A), and the defining properties, checked on
tied, singular, rank-deficient and ill-conditioned inputs where the references say nothing.
"""
import numpy as np
import pytest
import scipy.linalg
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


def normal(seed: int, shape: tuple[int, ...], dtype: type = np.float64) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)


def conditioned(seed: int, m: int, n: int, log10_cond: float) -> np.ndarray:
    rng = np.random.default_rng(seed)
    q1, _ = np.linalg.qr(rng.standard_normal((m, n)))
    q2, _ = np.linalg.qr(rng.standard_normal((n, n)))
    return q1 @ np.diag(np.logspace(0, -log10_cond, n)) @ q2


def check_lu_properties(P: np.ndarray, L: np.ndarray, U: np.ndarray, A: np.ndarray, call: str) -> None:
    n = A.shape[0]
    for name, M in (("P", P), ("L", L), ("U", U)):
        assert_shape(M, (n, n), name=name, call=call)
        assert_dtype(M, np.float64, name=name, call=call)
    P, L, U = (np.asarray(M) for M in (P, L, U))
    is_perm = np.all((P == 0) | (P == 1)) and np.all(P.sum(0) == 1) and np.all(P.sum(1) == 1)
    assert is_perm, f"{call}: P is not a permutation matrix (0/1 entries, one 1 per row and column):\n{P}"
    assert_equal(np.diag(L), np.ones(n), name="diagonal of L (unit lower-triangular)", call=call)
    assert_equal(np.triu(L, 1), np.zeros((n, n)), name="strict upper part of L", call=call)
    assert_equal(np.tril(U, -1), np.zeros((n, n)), name="strict lower part of U (exact zeros)", call=call)
    worst = float(np.max(np.abs(L)))
    assert worst <= 1.0, (f"{call}: max |L[i, j]| = {worst:.6g} > 1; with partial pivoting every multiplier is "
                          "at most 1 in size: pivot on the largest |entry|, not the largest entry")
    scale = max(float(np.max(np.abs(A))), 1e-300)
    assert_close(P @ L @ U, A.astype(np.float64), rtol=0, atol=1e-13 * n * scale, name="P @ L @ U (should be A)",
                 call=call)


@given(n=dims(1, 6), seed=seeds(), dtype=float_dtypes())
@example(n=1, seed=0, dtype=np.float64)
@example(n=5, seed=1, dtype=np.float32)
def test_lu_matches_scipy(kata, n, seed, dtype):
    A = normal(seed, (n, n), dtype)
    call = describe_call("lu", A)
    P, L, U = call_unmodified(kata.lu, A)
    check_lu_properties(P, L, U, A, call)
    P_ref, L_ref, U_ref = scipy.linalg.lu(A.astype(np.float64))
    assert_equal(P, P_ref, name="P", call=call)
    assert_close(L, L_ref, rtol=0, atol=1e-12, name="L", call=call)
    assert_close(U, U_ref, rtol=0, atol=1e-12 * max(1.0, float(np.max(np.abs(U_ref)))), name="U", call=call)


TIES = [np.array([[1.0, 2.0], [-1.0, 3.0]]),   # |1| = |-1|: keep the first row, no swap
        np.array([[-1.0, 2.0], [1.0, 3.0]]),
        np.array([[2.0, 1.0, 0.0], [-2.0, 4.0, 1.0], [2.0, 0.0, 5.0]]),
        np.array([[1.0, 4.0], [-3.0, 2.0]])]   # largest value is row 0, largest |value| is row 1


@pytest.mark.parametrize("A", TIES, ids=["tie-plus-first", "tie-minus-first", "three-way-tie", "abs-not-value"])
def test_lu_pivot_rule_on_ties(kata, A):
    """The first row with the largest |entry| wins, as in LAPACK (and so scipy)."""
    call = describe_call("lu", A)
    P, L, U = call_unmodified(kata.lu, A)
    check_lu_properties(P, L, U, A, call)
    P_ref, L_ref, U_ref = scipy.linalg.lu(A)
    assert_equal(P, P_ref, name="P (first largest |entry| is the pivot)", call=call)
    assert_close(L, L_ref, rtol=0, atol=1e-14, name="L", call=call)


@given(n=dims(2, 6), seed=seeds(), kind=st.sampled_from(["integers", "zero-column", "equal-rows", "constant"]))
@example(n=3, seed=0, kind="constant")
@example(n=4, seed=1, kind="zero-column")
def test_lu_properties_on_tied_and_singular_matrices(kata, n, seed, kind):
    rng = np.random.default_rng(seed)
    A = rng.integers(-3, 4, size=(n, n)).astype(np.float64)
    if kind == "zero-column":
        A[:, rng.integers(n)] = 0.0
    elif kind == "equal-rows":
        A[rng.integers(1, n)] = A[0]
    elif kind == "constant":
        A[:] = float(rng.integers(-3, 4))
    call = describe_call("lu", A) + f" ({kind})"
    P, L, U = call_unmodified(kata.lu, A)
    check_lu_properties(P, L, U, A, call)


@given(shape=st.sampled_from([(2, 3), (3, 2), (4,), (1, 2)]))
def test_lu_rejects_non_square(kata, shape):
    A = np.ones(shape)
    with pytest.raises(ValueError):
        kata.lu(A)
        pytest.fail(f"{describe_call('lu', A)} returned instead of raising ValueError")


def check_qr_properties(Q: np.ndarray, R: np.ndarray, A: np.ndarray, call: str) -> None:
    m, n = A.shape
    assert_shape(Q, (m, n), name="Q (reduced: m x n)", call=call)
    assert_shape(R, (n, n), name="R (reduced: n x n)", call=call)
    assert_dtype(Q, np.float64, name="Q", call=call)
    assert_dtype(R, np.float64, name="R", call=call)
    # Householder: QᵀQ = I and A = QR to a few ulps whatever cond(A) is (Gram–Schmidt loses this).
    assert_close(Q.T @ Q, np.eye(n), rtol=0, atol=1e-13, name="QᵀQ (should be I)", call=call)
    assert_equal(np.tril(R, -1), np.zeros((n, n)), name="strict lower part of R (exact zeros)", call=call)
    d = np.diag(R)
    assert np.all(d >= 0), f"{call}: diag(R) = {d} has negative entries; flip those rows of R and columns of Q"
    scale = max(float(np.linalg.norm(A, 2)), 1e-300)
    assert_close(Q @ R, A.astype(np.float64), rtol=0, atol=1e-13 * scale, name="Q @ R (should be A)", call=call)


@given(n=dims(1, 5), extra=st.integers(0, 3), seed=seeds(), dtype=float_dtypes())
@example(n=1, extra=0, seed=0, dtype=np.float64)
@example(n=1, extra=3, seed=1, dtype=np.float32)  # a single column: Q is its direction, R its norm
@example(n=4, extra=0, seed=2, dtype=np.float64)
def test_qr_matches_numpy(kata, n, extra, seed, dtype):
    A = normal(seed, (n + extra, n), dtype)
    call = describe_call("householder_qr", A)
    Q, R = call_unmodified(kata.householder_qr, A)
    check_qr_properties(Q, R, A, call)
    Q_ref, R_ref = np.linalg.qr(A.astype(np.float64))
    signs = np.where(np.diag(R_ref) < 0, -1.0, 1.0)
    cond = float(np.linalg.cond(A.astype(np.float64)))
    assert_close(R, R_ref * signs[:, None], rtol=0, atol=1e-13 * cond * float(np.max(np.abs(R_ref))), name="R",
                 call=call)
    assert_close(Q, Q_ref * signs, rtol=0, atol=1e-13 * cond, name="Q", call=call)


@given(n=dims(2, 6), extra=st.integers(0, 3), seed=seeds(), log10_cond=st.integers(6, 13))
@example(n=6, extra=0, seed=0, log10_cond=13)
def test_qr_stays_orthonormal_on_ill_conditioned_matrices(kata, n, extra, seed, log10_cond):
    """Gram–Schmidt's Q drifts from orthonormal by cond(A)·eps; Householder's stays at eps."""
    A = conditioned(seed, n + extra, n, log10_cond)
    Q, R = kata.householder_qr(A)
    check_qr_properties(Q, R, A, describe_call("householder_qr", A) + f" with cond(A) = 1e{log10_cond}")


@given(n=dims(2, 5), seed=seeds(), eps=st.sampled_from([1e-6, 1e-9, 1e-12]))
@example(n=3, seed=0, eps=1e-9)
def test_qr_is_accurate_when_columns_are_nearly_done(kata, n, seed, eps):
    """A ≈ diag(positive): x ≈ ‖x‖e1, where v = x - ‖x‖e1 would cancel to noise."""
    rng = np.random.default_rng(seed)
    A = np.diag(rng.uniform(1, 2, n)) + eps * rng.standard_normal((n, n))
    Q, R = kata.householder_qr(A)
    check_qr_properties(Q, R, A, describe_call("householder_qr", A) + f" with A = diag + {eps:g} noise")


@given(n=dims(2, 5), extra=st.integers(0, 2), seed=seeds(), kind=st.sampled_from(["zero-column", "equal-columns",
                                                                                  "triangular"]))
@example(n=3, extra=0, seed=0, kind="triangular")
@example(n=2, extra=1, seed=1, kind="zero-column")
def test_qr_properties_on_rank_deficient_and_triangular_matrices(kata, n, extra, seed, kind):
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((n + extra, n))
    if kind == "zero-column":
        A[:, rng.integers(n)] = 0.0
    elif kind == "equal-columns":
        A[:, rng.integers(1, n)] = A[:, 0]
    else:  # upper triangular with negative diagonal: some columns below the diagonal are already zero
        A = np.triu(A)
        A[np.arange(n), np.arange(n)] = -np.abs(A[np.arange(n), np.arange(n)]) - 0.5
    call = describe_call("householder_qr", A) + f" ({kind})"
    Q, R = call_unmodified(kata.householder_qr, A)
    check_qr_properties(Q, R, A, call)


@given(shape=st.sampled_from([(2, 3), (1, 4), (4,)]))
def test_qr_rejects_wide_or_1d(kata, shape):
    A = np.ones(shape)
    with pytest.raises(ValueError):
        kata.householder_qr(A)
        pytest.fail(f"{describe_call('householder_qr', A)} returned instead of raising ValueError")
