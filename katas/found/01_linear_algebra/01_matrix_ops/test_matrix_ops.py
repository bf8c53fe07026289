"""Tests for found-01-1, matrix operations from scratch.

References: numpy (`A @ B`, `A.T`, `np.trace`, `np.linalg.det`) in float64, sympy's exact
determinant of integer matrices, and properties that pin the determinant down whatever the
rounding: det(Aᵀ) = det(A), det(AB) = det(A) det(B), a row swap flips the sign.
"""
import numpy as np
import pytest
import sympy
from hypothesis import example, given
from hypothesis import strategies as st

from grader.strategies import dims, float_dtypes, seeds
from grader.testing import (
    assert_close,
    assert_dtype,
    assert_equal,
    assert_no_alias,
    call_unmodified,
    describe_call,
)

# float32 products of m standard-normal pairs: each rounding is 6e-8 relative, so m * 1e-6 absolute is
# generous; float64 gets 1e-12 for the same reason.
TOL = {np.float32: 1e-6, np.float64: 1e-12}


def normal(seed: int, shape: tuple[int, ...], dtype: type = np.float64) -> np.ndarray:
    return np.random.default_rng(seed).standard_normal(shape).astype(dtype)


def hadamard_bound(A: np.ndarray) -> float:
    """|det A| <= product of the row norms: the natural scale for a determinant's rounding error."""
    return float(np.prod(np.linalg.norm(np.asarray(A, dtype=np.float64), axis=1))) + 1e-300


def check_det(got: object, want: float, A: np.ndarray, call: str) -> None:
    assert isinstance(got, float), f"{call} returned {type(got).__name__} {got!r}, expected a Python float"
    # Elimination with partial pivoting is backward stable: the error is a small multiple of n·eps
    # times the Hadamard bound. 1e-10 of the bound is far above rounding and far below any mistake.
    bound = 1e-10 * hadamard_bound(A)
    hint = ""
    if abs(got + want) <= bound and abs(want) > bound:
        hint = "\n  the sign is flipped: every row swap multiplies the determinant by -1"
    assert abs(got - want) <= bound, f"{call} returned {got!r}, expected {want!r} (tolerance {bound:.3g}){hint}"


@given(n=dims(1, 5), m=dims(1, 5), p=dims(1, 5), seed=seeds(), dtype=float_dtypes())
@example(n=1, m=1, p=1, seed=0, dtype=np.float64)
@example(n=1, m=5, p=1, seed=1, dtype=np.float32)  # a row times a column: one dot product
@example(n=4, m=1, p=3, seed=2, dtype=np.float64)  # a column times a row: an outer product
def test_matmul_matches_numpy(kata, n, m, p, seed, dtype):
    A, B = normal(seed, (n, m), dtype), normal(seed + 1, (m, p), dtype)
    call = describe_call("matmul", A, B)
    got = call_unmodified(kata.matmul, A, B)
    assert_dtype(got, dtype, call=call)
    want = A.astype(np.float64) @ B.astype(np.float64)
    assert_close(got, want, rtol=TOL[dtype], atol=TOL[dtype] * m, call=call)


@given(n=dims(1, 4), m=dims(1, 4), extra=dims(1, 3), p=dims(1, 4), seed=seeds())
@example(n=2, m=3, extra=1, p=2, seed=0)  # (2, 3) @ (4, 2): its transpose would fit, the product does not
def test_matmul_rejects_mismatched_inner_sizes(kata, n, m, extra, p, seed):
    A, B = normal(seed, (n, m)), normal(seed, (m + extra, p))
    with pytest.raises(ValueError):
        kata.matmul(A, B)
        pytest.fail(f"{describe_call('matmul', A, B)} returned instead of raising ValueError: inner sizes {m} != {m + extra}")


def test_matmul_rejects_vectors(kata):
    A, v = np.ones((2, 3)), np.ones(3)
    with pytest.raises(ValueError):
        kata.matmul(A, v)
        pytest.fail("matmul(float64[2, 3], float64[3]) returned instead of raising ValueError: B is 1-D")
    with pytest.raises(ValueError):
        kata.matmul(v, np.ones((3, 2)))
        pytest.fail("matmul(float64[3], float64[3, 2]) returned instead of raising ValueError: A is 1-D")


@given(n=dims(1, 5), m=dims(1, 5), seed=seeds(), dtype=float_dtypes())
@example(n=1, m=5, seed=0, dtype=np.float32)
@example(n=3, m=3, seed=1, dtype=np.float64)
def test_transpose_is_a_new_array(kata, n, m, seed, dtype):
    A = normal(seed, (n, m), dtype)
    call = describe_call("transpose", A)
    got = call_unmodified(kata.transpose, A)
    assert_dtype(got, dtype, call=call)
    assert_equal(got, A.T, call=call)
    assert_no_alias(got, A, call=call)


@given(n=dims(1, 6), seed=seeds(), dtype=float_dtypes())
@example(n=1, seed=0, dtype=np.float64)
def test_trace_matches_numpy(kata, n, seed, dtype):
    A = normal(seed, (n, n), dtype) * 10
    call = describe_call("trace", A)
    got = call_unmodified(kata.trace, A)
    assert isinstance(got, float), f"{call} returned {type(got).__name__} {got!r}, expected a Python float"
    assert_close(got, np.trace(A.astype(np.float64)), rtol=TOL[dtype], atol=TOL[dtype] * 10 * n, call=call)


@given(n=dims(1, 5), extra=dims(1, 3), seed=seeds(), wide=st.booleans())
@example(n=2, extra=1, seed=0, wide=True)
def test_trace_rejects_non_square(kata, n, extra, seed, wide):
    A = normal(seed, (n, n + extra) if wide else (n + extra, n))
    with pytest.raises(ValueError):
        kata.trace(A)
        pytest.fail(f"{describe_call('trace', A)} returned instead of raising ValueError: A is not square")


@given(n=dims(1, 6), seed=seeds(), dtype=float_dtypes())
@example(n=1, seed=0, dtype=np.float64)
@example(n=6, seed=3, dtype=np.float32)
def test_det_matches_numpy(kata, n, seed, dtype):
    A = normal(seed, (n, n), dtype)
    call = describe_call("det", A)
    got = call_unmodified(kata.det, A)
    check_det(got, float(np.linalg.det(A.astype(np.float64))), A, call)


@given(n=dims(1, 5), seed=seeds())
@example(n=2, seed=0)
def test_det_is_exact_on_integer_matrices(kata, n, seed):
    """Small integer matrices have integer determinants: sympy computes them exactly."""
    A = np.random.default_rng(seed).integers(-4, 5, size=(n, n)).astype(np.float64)
    want = int(sympy.Matrix(A.astype(int).tolist()).det())
    check_det(call_unmodified(kata.det, A), float(want), A, describe_call("det", A))


PERMUTATIONS = [np.array([[0.0, 1.0], [1.0, 0.0]]),                     # det -1
                np.array([[0.0, 0.0, 1.0], [1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]),  # a 3-cycle: det +1
                np.array([[0.0, 2.0, 0.0], [0.0, 0.0, 3.0], [5.0, 0.0, 0.0]]),  # det 30
                np.array([[1e-20, 1.0], [1.0, 1.0]])]                    # a tiny pivot: det -1 + 1e-20


@pytest.mark.parametrize("A", PERMUTATIONS, ids=["swap", "3-cycle", "scaled-3-cycle", "tiny-pivot"])
def test_det_needs_pivoting(kata, A):
    """A zero (or tiny) diagonal entry must be swapped away, and each swap flips the sign."""
    check_det(call_unmodified(kata.det, A), float(np.linalg.det(A)), A, describe_call("det", A))


@given(n=dims(1, 6), col=st.integers(0, 5), seed=seeds())
@example(n=1, col=0, seed=0)  # the 1x1 zero matrix
@example(n=4, col=3, seed=1)  # singular only at the last column
def test_det_of_matrix_with_zero_column_is_zero(kata, n, col, seed):
    A = normal(seed, (n, n))
    A[:, col % n] = 0.0
    call = describe_call("det", A)
    got = call_unmodified(kata.det, A)
    assert got == 0.0, (f"{call} returned {got!r} for a matrix whose column {col % n} is all zeros, expected 0.0\n"
                        "  NaN or inf means a division by a zero pivot: stop (return 0.0) when the best pivot is 0")


@given(n=dims(2, 6), seed=seeds(), i=st.integers(0, 5), j=st.integers(0, 5))
def test_det_properties(kata, n, seed, i, j):
    """det(Aᵀ) = det(A); det(AB) = det(A)det(B); swapping two rows flips the sign."""
    A, B = normal(seed, (n, n)), normal(seed + 1, (n, n))
    dA = kata.det(A)
    check_det(kata.det(np.ascontiguousarray(A.T)), dA, A, describe_call("det", A.T) + " (the transpose of A)")
    check_det(kata.det(A @ B), dA * kata.det(B), A @ B, describe_call("det", A @ B) + " vs det(A) * det(B)")
    i, j = i % n, j % n
    if i != j:
        S = A.copy()
        S[[i, j]] = S[[j, i]]
        check_det(kata.det(S), -dA, A, describe_call("det", S) + f" (A with rows {i} and {j} swapped)")


@given(n=dims(1, 4), extra=dims(1, 2), seed=seeds())
def test_det_rejects_non_square(kata, n, extra, seed):
    A = normal(seed, (n, n + extra))
    with pytest.raises(ValueError):
        kata.det(A)
        pytest.fail(f"{describe_call('det', A)} returned instead of raising ValueError: A is not square")
