"""Tests for found-01-8, operator norms, the spectral norm by power iteration, and PSD Gram matrices.

References: numpy.linalg.norm with ord 1, 2 and inf, the certificate x returned with each norm,
sklearn.metrics.pairwise's linear and RBF kernels, eigenvalues from numpy.linalg.eigvalsh, and the
power iteration replayed for the promised stopping rule and seed.
"""
import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from sklearn.metrics.pairwise import linear_kernel, rbf_kernel

from grader.strategies import dims, seeds
from grader.testing import (
    assert_close,
    assert_dtype,
    assert_seeded,
    assert_shape,
    call_unmodified,
    describe_call,
)

P_VALUES = st.sampled_from([1, 2, np.inf])


def with_singular_values(seed: int, m: int, n: int, s: np.ndarray) -> np.ndarray:
    rng = np.random.default_rng(seed)
    k = len(s)
    u, _ = np.linalg.qr(rng.standard_normal((m, k)))
    v, _ = np.linalg.qr(rng.standard_normal((n, k)))
    return (u * s) @ v.T


@given(m=dims(1, 6), n=dims(1, 6), seed=seeds(), p=P_VALUES, scale=st.sampled_from([1.0, 1e-3, 1e3]))
@example(m=1, n=1, seed=0, p=np.inf, scale=1.0)
@example(m=3, n=5, seed=1, p=1, scale=1.0)
@example(m=5, n=2, seed=2, p=2, scale=1e3)
def test_induced_norm_matches_numpy(kata, m, n, seed, p, scale):
    rng = np.random.default_rng(seed)
    if p == 2:  # a gap σ2 <= 0.8 σ1 keeps power iteration short
        k = min(m, n)
        A = with_singular_values(seed, m, n, scale * np.r_[3.0, rng.uniform(0.1, 2.4, k - 1)])
    else:
        A = rng.standard_normal((m, n)) * scale
        A[rng.random((m, n)) < 0.2] = 0.0  # zeros: sign(0) must still give a unit entry
    call = describe_call("induced_norm", A, p)
    value, x = call_unmodified(kata.induced_norm, A, p)
    want = float(np.linalg.norm(A, p))
    if p == 1 and np.isclose(value, np.linalg.norm(A, np.inf)) and not np.isclose(value, want):
        raise AssertionError(f"{call} returned the largest row sum {value:.6g}: p=1 is the largest COLUMN sum")
    assert_close(value, want, rtol=1e-9, atol=1e-300, name=f"‖A‖_{p}", call=call)
    assert_shape(x, (n,), name="x", call=call)
    assert_close(np.linalg.norm(x, p), 1.0, rtol=1e-12, atol=0, name=f"‖x‖_{p} (x must be a unit vector)", call=call)
    assert_close(np.linalg.norm(A @ x, p), want, rtol=1e-9, atol=1e-300, name=f"‖Ax‖_{p} (x must attain the norm)",
                 call=call)
    if p == np.inf:  # the signs of the first largest row, +1 where that row has a 0
        row = A[int(np.argmax(np.abs(A).sum(axis=1)))]
        assert_close(x, np.where(row < 0, -1.0, 1.0), rtol=0, atol=0, name="x (signs of the row, +1 for 0)", call=call)


@given(m=dims(1, 5), n=dims(1, 5), p=P_VALUES)
def test_induced_norm_of_zero_matrix(kata, m, n, p):
    A = np.zeros((m, n))
    call = describe_call("induced_norm", A, p)
    value, x = kata.induced_norm(A, p)
    assert value == 0.0, f"{call} returned {value!r}, expected 0.0"
    assert_close(np.linalg.norm(x, p), 1.0, rtol=1e-12, atol=0, name=f"‖x‖_{p} (still a unit vector)", call=call)
    if p != 2:  # ties everywhere: the first column (p=1); the signs of row 0, all +1 (p=inf)
        want = np.ones(n) if p == np.inf else np.eye(n)[0]
        assert_close(x, want, rtol=0, atol=0, name="x (first tie; +1 for zero entries)", call=call)


@given(m=dims(1, 6), n=dims(1, 6), seed=seeds())
@example(m=1, n=1, seed=0)
def test_spectral_norm_matches_numpy(kata, m, n, seed):
    k = min(m, n)
    s = np.concatenate([[3.0], np.random.default_rng(seed).uniform(0.1, 2.4, k - 1)])  # a gap: ratio <= 0.8
    A = with_singular_values(seed, m, n, s)
    call = describe_call("spectral_norm", A, seed=seed)
    sigma, v, converged = call_unmodified(kata.spectral_norm, A, seed=seed)
    assert converged is True, f"{call} returned converged={converged!r}"
    assert_close(sigma, 3.0, rtol=1e-9, atol=0, name="‖A‖₂", call=call)
    assert_close(np.linalg.norm(v), 1.0, rtol=1e-12, atol=0, name="‖v‖", call=call)
    assert_close(np.linalg.norm(A @ v), sigma, rtol=1e-12, atol=0, name="‖A v‖ (the returned estimate)", call=call)


@given(m=dims(2, 6), n=dims(2, 6), seed=seeds())
def test_spectral_norm_estimates_only_grow_and_never_overshoot(kata, m, n, seed):
    A = np.random.default_rng(seed).standard_normal((m, n))
    true = float(np.linalg.norm(A, 2))
    previous = 0.0
    for max_iter in range(1, 7):
        sigma, _, _ = kata.spectral_norm(A, tol=0.0, max_iter=max_iter, seed=seed)
        call = describe_call("spectral_norm", A, tol=0.0, max_iter=max_iter, seed=seed)
        assert sigma <= true * (1 + 1e-12), f"{call} returned {sigma!r} > ‖A‖₂ = {true!r}: ‖Av‖ <= ‖A‖₂ for unit v"
        assert sigma >= previous * (1 - 1e-12), f"{call} returned {sigma!r}, less than after {max_iter - 1} steps"
        previous = sigma


@given(seed=seeds(), n=dims(3, 6))
def test_spectral_norm_honours_tol_and_max_iter(kata, seed, n):
    """σ² = 25, 20, ...: the ratio 0.8 makes tol = 1e-2 reachable in 80 steps, 1e-12 not."""
    A = with_singular_values(seed, n + 1, n, np.sqrt(np.array([25.0, 20.0, 5.0, 2.0, 1.0, 0.5][:n])))
    for tol, max_iter, expect in ((1e-2, 80, True), (1e-12, 80, False), (1e-12, 1000, True)):
        call = describe_call("spectral_norm", A, tol=tol, max_iter=max_iter, seed=seed)
        _, _, converged = kata.spectral_norm(A, tol=tol, max_iter=max_iter, seed=seed)
        assert converged is expect, f"{call} returned converged={converged!r}, expected {expect}"


@given(seed=seeds(), m=dims(2, 5), n=dims(2, 5), max_iter=st.integers(1, 4))
def test_spectral_norm_replays_the_iteration(kata, seed, m, n, max_iter):
    A = np.random.default_rng(seed).standard_normal((m, n))
    v = np.random.default_rng(seed).standard_normal(n)
    v /= np.linalg.norm(v)
    for _ in range(max_iter):
        w = A.T @ (A @ v)
        v = w / np.linalg.norm(w)
    call = describe_call("spectral_norm", A, tol=0.0, max_iter=max_iter, seed=seed)
    sigma, got, converged = kata.spectral_norm(A, tol=0.0, max_iter=max_iter, seed=seed)
    assert converged is False, f"{call} returned converged=True with tol=0 on a random matrix"
    assert_close(got, v, rtol=0, atol=1e-12, name=f"v ((AᵀA)^{max_iter} v0, normalised)", call=call)
    assert_close(sigma, np.linalg.norm(A @ v), rtol=1e-12, atol=0, name="sigma = ‖Av‖", call=call)
    assert_seeded(lambda s: kata.spectral_norm(A, tol=0.0, max_iter=max_iter, seed=s), seed, name="(sigma, v, converged)")


def test_spectral_norm_of_zero_matrix(kata):
    sigma, v, converged = kata.spectral_norm(np.zeros((3, 2)), max_iter=5)
    assert (sigma, converged) == (0.0, True), f"spectral_norm(zeros(3, 2)) returned {sigma!r}, {converged!r}; expected 0.0, True"


def test_bad_arguments_raise(kata):
    for fn, args, kwargs, why in ((kata.induced_norm, (np.eye(2), 3), {}, "p = 3"),
                                  (kata.induced_norm, (np.ones(3), 1), {}, "A is 1-D"),
                                  (kata.spectral_norm, (np.ones(3),), {}, "A is 1-D"),
                                  (kata.spectral_norm, (np.eye(2),), {"max_iter": 0}, "max_iter = 0"),
                                  (kata.gram_matrix, (np.ones(3),), {}, "X is 1-D"),
                                  (kata.gram_matrix, (np.ones((2, 2)),), {"kernel": "poly"}, "unknown kernel"),
                                  (kata.is_psd, (np.ones((2, 3)),), {}, "G is not square")):
        with pytest.raises(ValueError):
            fn(*args, **kwargs)
            pytest.fail(f"{describe_call(fn.__name__, *args, **kwargs)} returned instead of raising ValueError: {why}")


@given(n=dims(1, 8), d=dims(1, 4), seed=seeds(), kernel=st.sampled_from(["linear", "rbf"]),
       gamma=st.sampled_from([None, 0.1, 2.0]))
@example(n=6, d=2, seed=0, kernel="linear", gamma=None)  # rank 2 < 6: zero eigenvalues at ±1e-15
@example(n=5, d=3, seed=1, kernel="rbf", gamma=None)
def test_gram_matrix_matches_sklearn_and_is_psd(kata, n, d, seed, kernel, gamma):
    X = np.random.default_rng(seed).standard_normal((n, d)) * 2
    call = describe_call("gram_matrix", X, kernel=kernel, gamma=gamma)
    G = call_unmodified(kata.gram_matrix, X, kernel=kernel, gamma=gamma)
    assert_shape(G, (n, n), call=call)
    assert_dtype(G, np.float64, call=call)
    want = linear_kernel(X) if kernel == "linear" else rbf_kernel(X, gamma=gamma)
    assert_close(G, want, rtol=1e-10, atol=1e-12, call=call)
    if kernel == "rbf":
        assert np.all(np.diag(G) == 1.0), f"{call}: diag(G) = {np.diag(G)}, expected exactly 1 (‖x − x‖² = 0)"
    assert kata.is_psd(G) is True, f"is_psd({call}) returned False: every Gram matrix is PSD"


@given(kernel=st.sampled_from(["linear", "rbf"]))
def test_gram_matrix_of_integer_data_is_float64(kata, kernel):
    X = np.array([[1, 2], [3, -4], [0, 5]])
    G = kata.gram_matrix(X, kernel=kernel)
    assert_dtype(G, np.float64, call=describe_call("gram_matrix", X, kernel=kernel))
    assert_close(G, linear_kernel(X) if kernel == "linear" else rbf_kernel(X.astype(float)), rtol=1e-12, atol=0,
                 call=describe_call("gram_matrix", X, kernel=kernel))


def test_is_psd_accepts_rounding_asymmetry(kata):
    """G = XXᵀ with an exact 0 entry, then one entry nudged by 1e-14: symmetric within tol · max|G|."""
    X = np.array([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]])
    G = X @ X.T
    G[1, 2] += 1e-14
    assert kata.is_psd(G) is True, "is_psd(XXᵀ with a 1e-14 asymmetry) returned False: compare G and Gᵀ with tol · max|G|"


def test_rbf_never_exceeds_one_for_near_duplicates(kata):
    """x and x + 1e-9: ‖x‖² + ‖y‖² − 2x·y can round below 0, and exp of a positive number exceeds 1."""
    X = np.array([[1e4, -3e4, 2e4], [1e4 + 1e-9, -3e4, 2e4]])
    G = kata.gram_matrix(X, kernel="rbf")
    assert np.all(np.asarray(G) <= 1.0), f"gram_matrix(near-duplicates, 'rbf') has entries above 1: {G}"


@given(n=dims(2, 6), seed=seeds())
def test_is_psd_rejects_indefinite_and_non_kernels(kata, n, seed):
    rng = np.random.default_rng(seed)
    X = rng.standard_normal((n, 2))
    d2 = np.sum((X[:, None] - X[None, :]) ** 2, axis=-1)
    cases = [(-d2, "negative squared distances (not a kernel)"),
             (np.diag(np.r_[1.0, -np.ones(n - 1) * 0.5]), "a diagonal with negative entries"),
             (np.triu(np.ones((n, n))), "an upper-triangular (non-symmetric) matrix")]
    for G, what in cases:
        assert kata.is_psd(G) is False, f"is_psd({what}) returned True, expected False"


@pytest.mark.parametrize(("tol", "expect"), [(1e-10, False), (9e-7, False), (1e-6, True), (1e-3, True)])
def test_is_psd_tolerance(kata, tol, expect):
    """Eigenvalues (2, 1, -2e-6) exactly: -2e-6 >= -tol · 2 holds from tol = 1e-6 on (the boundary counts)."""
    G = np.diag([2.0, 1.0, -2e-6])
    got = kata.is_psd(G, tol=tol)
    assert got is expect, f"is_psd(diag(2, 1, -2e-6), tol={tol}) returned {got!r}, expected {expect}"


def test_is_psd_of_zero_and_identity(kata):
    for G in (np.zeros((3, 3)), np.eye(4), np.zeros((1, 1))):
        assert kata.is_psd(G) is True, f"is_psd({G.tolist()}) returned False, expected True"
