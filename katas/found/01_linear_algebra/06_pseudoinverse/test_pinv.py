"""Tests for found-01-6, the Moore–Penrose pseudoinverse and minimum-norm least squares.

References: numpy.linalg.pinv and numpy.linalg.lstsq with the same relative cut-off, the four
Penrose conditions (which define A⁺ uniquely), exact pseudoinverses of diagonal matrices for the
cut-off boundary, and the minimum-norm property checked against other solutions.
"""
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

EPS = float(np.finfo(np.float64).eps)


def low_rank(seed: int, m: int, n: int, rank: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.standard_normal((m, rank)) @ rng.standard_normal((rank, n))


def effective(rcond: float | None, A: np.ndarray) -> float:
    return max(A.shape) * EPS if rcond is None else rcond


@given(m=dims(1, 6), n=dims(1, 6), rank=st.integers(0, 6), seed=seeds(), rcond=st.sampled_from([None, 1e-10, 1e-3]),
       dtype=float_dtypes())
@example(m=1, n=1, rank=1, seed=0, rcond=None, dtype=np.float64)
@example(m=3, n=5, rank=3, seed=1, rcond=None, dtype=np.float32)  # wide, full row rank
@example(m=6, n=4, rank=2, seed=2, rcond=1e-10, dtype=np.float64)  # rank-deficient: the cut-off matters
def test_pinv_matches_numpy(kata, m, n, rank, seed, rcond, dtype):
    rank = min(rank, m, n)
    if rank < min(m, n) and rcond is None:
        rcond = 1e-10  # rank-deficient: the default cut-off would sit in rounding noise
    A = low_rank(seed, m, n, rank).astype(dtype)
    call = describe_call("pinv", A, rcond=rcond)
    X = call_unmodified(kata.pinv, A, rcond=rcond)
    assert_shape(X, (n, m), call=call)
    assert_dtype(X, np.float64, call=call)
    want = np.linalg.pinv(A.astype(np.float64), rtol=effective(rcond, A))
    scale = max(1.0, float(np.max(np.abs(want))))
    assert_close(X, want, rtol=0, atol=1e-9 * scale, call=call)


@given(m=dims(1, 6), n=dims(1, 6), rank=st.integers(0, 6), seed=seeds())
@example(m=4, n=4, rank=0, seed=0)  # the zero matrix: A⁺ = 0
def test_pinv_satisfies_the_penrose_conditions(kata, m, n, rank, seed):
    rank = min(rank, m, n)
    A = low_rank(seed, m, n, rank)
    call = describe_call("pinv", A, rcond=1e-10) + f" of rank {rank}"
    X = kata.pinv(A, rcond=1e-10)
    scale = max(1.0, float(np.max(np.abs(X))), float(np.max(np.abs(A)))) ** 3
    for name, got, want in (("A X A (should be A)", A @ X @ A, A), ("X A X (should be X)", X @ A @ X, X),
                            ("A X (should be symmetric)", A @ X, (A @ X).T),
                            ("X A (should be symmetric)", X @ A, (X @ A).T)):
        assert_close(got, want, rtol=0, atol=1e-9 * scale, name=name, call=call)


DIAG = np.array([1.0, 0.5, 0.25])


@pytest.mark.parametrize(("rcond", "kept"), [(0.25, 2), (0.2499, 3), (0.5, 1), (1.0, 0), (0.0, 3)])
def test_cut_off_is_relative_and_inclusive(kata, rcond, kept):
    """s = (1, .5, .25) scaled by 8: s_i <= rcond · s_max is dropped, so rcond = 0.25 drops 0.25 · 8."""
    A = np.zeros((4, 3))
    A[:3, :3] = np.diag(DIAG * 8.0)
    want = np.zeros((3, 4))
    want[np.arange(kept), np.arange(kept)] = 1.0 / (DIAG[:kept] * 8.0)
    call = describe_call("pinv", A, rcond=rcond)
    assert_close(kata.pinv(A, rcond=rcond), want, rtol=1e-15, atol=0,
                 name=f"A⁺ (keeping {kept} singular values: s_i > rcond · s_max)", call=call)
    b = np.ones(4)
    x, rank = kata.lstsq_min_norm(A, b, rcond=rcond)
    assert rank == kept, f"lstsq_min_norm(A, b, rcond={rcond}) returned rank {rank}, expected {kept}"
    assert_close(x, want @ b, rtol=1e-15, atol=0, name="x", call=describe_call("lstsq_min_norm", A, b, rcond=rcond))


@pytest.mark.parametrize(("m", "kept"), [(2, 2), (6, 1)])
def test_default_rcond_depends_on_the_shape(kata, m, kept):
    """s = (1, 1e-15): max(m, n)·eps is 4.4e-16 for a 2x2 matrix (keep) but 1.3e-15 for 6x2 (drop)."""
    A = np.zeros((m, 2))
    A[0, 0], A[1, 1] = 1.0, 1e-15
    want = np.zeros((2, m))
    want[0, 0] = 1.0
    if kept == 2:
        want[1, 1] = 1e15
    call = describe_call("pinv", A) + " (rcond=None)"
    assert_close(kata.pinv(A), want, rtol=1e-12, atol=0, call=call)
    _, rank = kata.lstsq_min_norm(A, np.ones(m))
    assert rank == kept, f"lstsq_min_norm(float64[{m}, 2], b) with the default rcond returned rank {rank}, expected {kept}"


@given(m=dims(1, 6), n=dims(1, 6), rank=st.integers(1, 6), k=st.sampled_from([0, 1, 3]), seed=seeds(),
       rcond=st.sampled_from([None, 1e-10, 1e-3]))
@example(m=5, n=2, rank=2, k=0, seed=0, rcond=None)  # overdetermined: the ordinary least-squares fit
@example(m=2, n=5, rank=2, k=3, seed=1, rcond=None)  # underdetermined: the shortest exact solution
def test_lstsq_matches_numpy(kata, m, n, rank, k, seed, rcond):
    rank = min(rank, m, n)
    if rank < min(m, n) and rcond is None:
        rcond = 1e-10
    A = low_rank(seed, m, n, rank)
    b = np.random.default_rng(seed + 1).standard_normal((m, k) if k else m)
    call = describe_call("lstsq_min_norm", A, b, rcond=rcond)
    x, got_rank = call_unmodified(kata.lstsq_min_norm, A, b, rcond=rcond)
    want, _, want_rank, _ = np.linalg.lstsq(A, b, rcond=effective(rcond, A))
    assert isinstance(got_rank, int | np.integer), f"{call} returned rank {got_rank!r}, expected an int"
    assert_equal(got_rank, want_rank, name="rank", call=call)
    assert_shape(x, want.shape, name="x", call=call)
    assert_close(x, want, rtol=0, atol=1e-9 * max(1.0, float(np.max(np.abs(want)))), name="x", call=call)


@given(m=dims(1, 4), extra=dims(1, 3), seed=seeds())
def test_underdetermined_solution_has_minimum_norm(kata, m, extra, seed):
    """A x = b has infinitely many solutions; A⁺b is exact and shorter than every other one."""
    n = m + extra
    rng = np.random.default_rng(seed)
    A, b = rng.standard_normal((m, n)), rng.standard_normal(m)
    x, rank = kata.lstsq_min_norm(A, b)
    call = describe_call("lstsq_min_norm", A, b)
    assert rank == m, f"{call} returned rank {rank}, expected {m} (full row rank)"
    assert_close(A @ x, b, rtol=0, atol=1e-10, name="A x (should equal b exactly)", call=call)
    null = np.linalg.svd(A)[2][m:].T  # (n, n - m): a basis of the null space of A
    assert_close(null.T @ x, np.zeros(n - m), rtol=0, atol=1e-10,
                 name="the null-space component of x (must be 0 for the shortest solution)", call=call)
    other = x + null @ rng.standard_normal(n - m)
    assert np.linalg.norm(other) > np.linalg.norm(x), f"{call}: another exact solution is shorter than yours"


def test_bad_shapes_raise(kata):
    for fn, args, why in ((kata.pinv, (np.ones(3),), "A is 1-D"),
                          (kata.pinv, (np.ones((3, 3, 3)),), "A is 3-D (a stack of matrices is not accepted)"),
                          (kata.lstsq_min_norm, (np.ones((3, 2)), np.ones((3, 3, 1))), "b is 3-D and would broadcast"),
                          (kata.lstsq_min_norm, (np.ones(3), np.ones(3)), "A is 1-D"),
                          (kata.lstsq_min_norm, (np.ones((3, 2)), np.ones(4)), "b has 4 rows, A has 3"),
                          (kata.lstsq_min_norm, (np.ones((3, 2)), np.ones((3, 2, 1))), "b is 3-D")):
        with pytest.raises(ValueError):
            fn(*args)
            pytest.fail(f"{describe_call(fn.__name__, *args)} returned instead of raising ValueError: {why}")
