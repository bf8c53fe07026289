"""Tests for found-01-2, Gaussian elimination with partial pivoting.

References: numpy.linalg.solve and numpy.linalg.inv (LAPACK's partially pivoted LU) in float64,
and the backward error of the answer, ‖b − A x‖ / (‖A‖‖x‖ + ‖b‖), which a pivoted elimination keeps
at rounding level even when A is badly conditioned. Singular matrices are built to be singular.
"""
import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from grader.strategies import dims, float_dtypes, seeds
from grader.testing import assert_close, assert_dtype, assert_shape, call_unmodified, describe_call

SCALES = st.sampled_from([1.0, 1e-14, 1e-6, 1e6, 1e14])  # the singularity test is relative: scale must not matter
RHS = st.sampled_from([0, 1, 3])  # 0: b is (n,); k > 0: b is (n, k)


def conditioned(seed: int, n: int, log10_cond: float) -> np.ndarray:
    """Q1 diag(s) Q2 with singular values from 1 down to 10^-log10_cond: a chosen condition number."""
    rng = np.random.default_rng(seed)
    q1, _ = np.linalg.qr(rng.standard_normal((n, n)))
    q2, _ = np.linalg.qr(rng.standard_normal((n, n)))
    return q1 @ np.diag(np.logspace(0, -log10_cond, n)) @ q2


def rhs(seed: int, n: int, k: int, dtype: type = np.float64) -> np.ndarray:
    rng = np.random.default_rng(seed + 7)
    return rng.standard_normal((n, k) if k else n).astype(dtype)


def backward_error(A: np.ndarray, x: np.ndarray, b: np.ndarray) -> float:
    A, x, b = (np.asarray(v, dtype=np.float64) for v in (A, x, b))
    return float(np.linalg.norm(b - A @ x) / (np.linalg.norm(A, 2) * np.linalg.norm(x) + np.linalg.norm(b)))


@given(n=dims(1, 6), k=RHS, seed=seeds(), scale=SCALES, dtype=float_dtypes())
@example(n=1, k=0, seed=0, scale=1.0, dtype=np.float64)
@example(n=4, k=3, seed=1, scale=1e-14, dtype=np.float64)  # tiny but perfectly conditioned
@example(n=5, k=1, seed=2, scale=1e14, dtype=np.float32)
def test_solve_matches_numpy(kata, n, k, seed, scale, dtype):
    A = (np.random.default_rng(seed).standard_normal((n, n)) * scale).astype(dtype)
    b = rhs(seed, n, k, dtype)
    call = describe_call("solve", A, b)
    try:
        x = call_unmodified(kata.solve, A, b)
    except np.linalg.LinAlgError as e:
        raise AssertionError(f"{call} raised LinAlgError({e}) on a nonsingular matrix with cond(A) = "
                             f"{np.linalg.cond(A.astype(np.float64)):.3g} and max|A| = {np.max(np.abs(A)):.3g}: "
                             "is the singularity test relative (PIVOT_RTOL * max|A|)?") from None
    assert_shape(x, b.shape, name="x", call=call)
    assert_dtype(x, np.float64, name="x", call=call)
    A64, b64 = A.astype(np.float64), b.astype(np.float64)
    want = np.linalg.solve(A64, b64)
    # Both solvers are backward stable: their answers differ by about cond(A) * eps relative.
    atol = 1e-13 * np.linalg.cond(A64) * max(float(np.max(np.abs(want))), 1e-300)
    assert_close(x, want, rtol=0, atol=atol, name="x", call=call)


@given(n=dims(2, 6), k=RHS, seed=seeds(), log10_cond=st.integers(0, 11))
@example(n=6, k=0, seed=3, log10_cond=11)
def test_solve_has_small_backward_error_when_ill_conditioned(kata, n, k, seed, log10_cond):
    """x may be far from the true solution when cond(A) = 1e11, but A x must still reproduce b."""
    A, b = conditioned(seed, n, log10_cond), rhs(seed, n, k)
    x = kata.solve(A, b)
    err = backward_error(A, x, b)
    assert err <= 1e-13, (f"{describe_call('solve', A, b)} with cond(A) = 1e{log10_cond}: backward error "
                          f"‖b − Ax‖/(‖A‖‖x‖+‖b‖) = {err:.3g}, expected <= 1e-13 (pivoting keeps it at rounding level)")


PIVOTING = [(np.array([[1e-20, 1.0], [1.0, 1.0]]), np.array([1.0, 2.0])),   # x ≈ (1, 1); no pivoting gives (0, 1)
            (np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([3.0, 5.0])),     # zero on the diagonal
            (np.array([[0.0, 2.0, 1.0], [0.0, 0.0, 3.0], [4.0, 1.0, 0.0]]), np.array([1.0, 2.0, 3.0]))]


@pytest.mark.parametrize(("A", "b"), PIVOTING, ids=["tiny-pivot", "swap", "3x3-zero-diagonal"])
def test_solve_needs_pivoting(kata, A, b):
    call = describe_call("solve", A, b)
    x = call_unmodified(kata.solve, A, b)
    assert_close(x, np.linalg.solve(A, b), rtol=1e-12, atol=1e-12, name="x", call=call)


def singular(kind: str, seed: int, n: int, scale: float) -> np.ndarray:
    rng = np.random.default_rng(seed)
    A = rng.standard_normal((n, n))
    i, j = rng.choice(n, size=2, replace=False)
    if kind == "zero":
        A[:] = 0.0
    elif kind == "zero-column":
        A[:, i] = 0.0
    elif kind == "equal-rows":
        A[i] = A[j]
    elif kind == "combination":  # row i = 2 * row j - 3 * row m: singular, though no pivot is exactly 0
        A[i] = 2.0 * A[j] - 3.0 * A[(j + 1) % n if (j + 1) % n != i else (j + 2) % n]
    else:  # low rank r < n
        r = int(rng.integers(1, n))
        A = rng.standard_normal((n, r)) @ rng.standard_normal((r, n))
    return A * scale


KINDS = st.sampled_from(["zero", "zero-column", "equal-rows", "combination", "low-rank"])


@given(kind=KINDS, seed=seeds(), n=dims(3, 6), scale=SCALES)
@example(kind="zero", seed=0, n=3, scale=1.0)
@example(kind="combination", seed=1, n=3, scale=1e14)
@example(kind="low-rank", seed=2, n=6, scale=1e-14)
def test_solve_raises_on_singular_matrices(kata, kind, seed, n, scale):
    A, b = singular(kind, seed, n, scale), rhs(seed, n, 0)
    with pytest.raises(np.linalg.LinAlgError):
        x = kata.solve(A, b)
        pytest.fail(f"{describe_call('solve', A, b)} on a singular ({kind}) matrix returned {x!r} instead of "
                    "raising np.linalg.LinAlgError: compare |pivot| with PIVOT_RTOL * max|A|")


@pytest.mark.parametrize(("second", "singular_"), [(1e-12, True), (1.0000001e-12, False), (1e-11, False)])
def test_singularity_threshold_is_inclusive_and_relative(kata, second, singular_):
    """diag(1, t): singular exactly when t <= PIVOT_RTOL * max|A| = 1e-12 (the boundary is inclusive)."""
    for scale in (1.0, 2.0**40):  # a power of two: the threshold scales exactly with A
        A, b = np.diag([1.0, second]) * scale, np.array([1.0, 1.0])
        call = describe_call("solve", A, b) + f" with A = diag(1, {second:g}) * {scale:g}"
        if singular_:
            with pytest.raises(np.linalg.LinAlgError):
                kata.solve(A, b)
                pytest.fail(f"{call} returned: a pivot equal to PIVOT_RTOL * max|A| counts as singular (<=)")
        else:
            assert_close(kata.solve(A, b), np.linalg.solve(A, b), rtol=1e-12, atol=0, name="x", call=call)


@given(n=dims(1, 4), extra=dims(1, 2), seed=seeds())
def test_solve_rejects_bad_shapes(kata, n, extra, seed):
    rng = np.random.default_rng(seed)
    cases = [(rng.standard_normal((n, n + extra)), rng.standard_normal(n), "A is not square"),
             (rng.standard_normal((n, n)), rng.standard_normal(n + extra), "b has the wrong length"),
             (rng.standard_normal((n, n)), rng.standard_normal((n + extra, 2)), "b has the wrong number of rows"),
             (rng.standard_normal((n + extra, n)), rng.standard_normal(n + extra), "A is tall, b matches its rows"),
             (rng.standard_normal(n), rng.standard_normal(n), "A is 1-D")]
    for A, b, why in cases:
        with pytest.raises(ValueError):
            kata.solve(A, b)
            pytest.fail(f"{describe_call('solve', A, b)} returned instead of raising ValueError: {why}")


@given(n=dims(1, 6), seed=seeds(), scale=SCALES, dtype=float_dtypes())
@example(n=1, seed=0, scale=1.0, dtype=np.float64)
@example(n=3, seed=1, scale=1.0, dtype=np.float32)
def test_inverse_matches_numpy(kata, n, seed, scale, dtype):
    A = (np.random.default_rng(seed).standard_normal((n, n)) * scale).astype(dtype)
    call = describe_call("inverse", A)
    X = call_unmodified(kata.inverse, A)
    assert_shape(X, (n, n), call=call)
    assert_dtype(X, np.float64, call=call)
    A64 = A.astype(np.float64)
    want = np.linalg.inv(A64)
    atol = 1e-13 * np.linalg.cond(A64) * float(np.max(np.abs(want)))
    assert_close(X, want, rtol=0, atol=atol, call=call)
    assert_close(A64 @ X, np.eye(n), rtol=0, atol=1e-13 * np.linalg.cond(A64), name="A @ inverse(A)", call=call)


@given(kind=KINDS, seed=seeds(), n=dims(3, 5))
def test_inverse_raises_on_singular_matrices(kata, kind, seed, n):
    A = singular(kind, seed, n, 1.0)
    with pytest.raises(np.linalg.LinAlgError):
        kata.inverse(A)
        pytest.fail(f"{describe_call('inverse', A)} on a singular ({kind}) matrix returned instead of raising LinAlgError")


@pytest.mark.parametrize("shape", [(2, 3), (3, 2), (3,)])
def test_inverse_rejects_non_square(kata, shape):
    A = np.arange(1.0, 1.0 + np.prod(shape)).reshape(shape)
    with pytest.raises(ValueError):
        kata.inverse(A)
        pytest.fail(f"inverse(float64{list(shape)}) returned instead of raising ValueError")
