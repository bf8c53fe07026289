"""Tests for found-01-4, power iteration, deflation and the Jacobi eigenvalue method.

References: numpy.linalg.eigh on matrices built with a known spectrum (gaps chosen so power
iteration converges), the eigenpair residual ‖Av − λv‖ and the orthonormality of V where eigh's
vectors are not unique (repeated eigenvalues), and the iteration replayed step by step for the
seeds and the deflation rule the docstrings promise.
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
    assert_seeded,
    assert_shape,
    call_unmodified,
    describe_call,
)


def with_spectrum(seed: int, lams: np.ndarray) -> np.ndarray:
    """Q diag(lams) Qᵀ for a random orthogonal Q, made exactly symmetric."""
    n = len(lams)
    q, _ = np.linalg.qr(np.random.default_rng(seed).standard_normal((n, n)))
    A = q @ np.diag(lams) @ q.T
    return (A + A.T) / 2


def gapped_spectrum(seed: int, n: int, scale: float) -> np.ndarray:
    """Eigenvalues with distinct |λ| (each at most 0.85 times the previous), random signs."""
    rng = np.random.default_rng(seed + 1)
    mags = scale * np.cumprod(np.concatenate([[1.0], rng.uniform(0.4, 0.85, n - 1)]))
    return mags * rng.choice([-1.0, 1.0], n)


def sign_norm(v: np.ndarray) -> np.ndarray:
    return -v if v[int(np.argmax(np.abs(v)))] < 0 else v


SCALES = st.sampled_from([1.0, 1e-3, 1e4])


@given(n=dims(1, 6), seed=seeds(), scale=SCALES, negative_top=st.booleans())
@example(n=1, seed=0, scale=1.0, negative_top=True)
@example(n=4, seed=1, scale=1e4, negative_top=True)  # the dominant eigenvalue is negative: λ keeps its sign
def test_power_iteration_finds_the_dominant_pair(kata, n, seed, scale, negative_top):
    lams = gapped_spectrum(seed, n, scale)
    lams[0] = -abs(lams[0]) if negative_top else abs(lams[0])
    A = with_spectrum(seed, lams)
    call = describe_call("power_iteration", A, seed=seed)
    lam, v, converged = call_unmodified(kata.power_iteration, A, seed=seed)
    assert converged is True, f"{call} returned converged={converged!r}: |λ2/λ1| <= 0.85 converges in ~150 steps"
    assert isinstance(lam, float), f"{call} returned lam of type {type(lam).__name__}, expected float"
    assert_shape(v, (n,), name="v", call=call)
    w, V = np.linalg.eigh(A)
    top = int(np.argmax(np.abs(w)))
    hint = " (its size is right but its sign is not: use the Rayleigh quotient vᵀAv, not ‖Av‖)" \
        if np.isclose(lam, -w[top], rtol=1e-6) else ""
    assert np.isclose(lam, w[top], rtol=1e-8, atol=0), f"{call} returned lam = {lam!r}, expected {w[top]!r}{hint}"
    # Residual <= 1e-10|λ| and a gap of at least 15%: the vector is right to ~1e-9.
    assert_close(v, sign_norm(V[:, top]), rtol=0, atol=1e-8, name="v (unit, sign_normalised)", call=call)
    assert abs(np.linalg.norm(A @ v - lam * v)) <= 1e-10 * abs(lam) * (1 + 1e-6), f"{call}: residual above tol·|λ|"


@given(seed=seeds(), n=dims(3, 6))
@example(seed=0, n=3)
def test_power_iteration_honours_tol_and_max_iter(kata, seed, n):
    """|λ2/λ1| = 0.8: tol = 1e-2 is met within 80 steps (checked on 6000 seeds), tol = 1e-12 needs ~130."""
    A = with_spectrum(seed, np.array([5.0, -4.0, 1.0, 0.5, 0.25, 0.1][:n]))
    for tol, max_iter, expect in ((1e-2, 80, True), (1e-12, 80, False), (1e-12, 1000, True)):
        call = describe_call("power_iteration", A, tol=tol, max_iter=max_iter, seed=seed)
        lam, v, converged = kata.power_iteration(A, tol=tol, max_iter=max_iter, seed=seed)
        assert converged is expect, f"{call} returned converged={converged!r}, expected {expect}"
        assert np.isclose(np.linalg.norm(v), 1.0, rtol=1e-12), f"{call}: ‖v‖ = {np.linalg.norm(v)!r}, expected 1"
        assert_close(lam, v @ A @ v, rtol=1e-12, atol=1e-14, name="lam (the Rayleigh quotient of the returned v)",
                     call=call)
        assert_equal(v, sign_norm(v), name="v (sign_normalised)", call=call)
        if converged:
            res = float(np.linalg.norm(A @ v - lam * v))
            assert res <= tol * abs(lam) * (1 + 1e-6), f"{call}: converged but ‖Av − λv‖ = {res:.3g} > tol·|λ|"


@given(seed=seeds(), n=dims(2, 6), max_iter=st.integers(1, 6))
@example(seed=0, n=2, max_iter=1)
def test_power_iteration_runs_exactly_max_iter_steps(kata, seed, n, max_iter):
    """Not converged after max_iter products: v must be A^max_iter v0, normalised (v0 from default_rng(seed))."""
    A = with_spectrum(seed, np.linspace(1.0, 0.9, n))
    v = np.random.default_rng(seed).standard_normal(n)
    for _ in range(max_iter):
        v = A @ v / np.linalg.norm(A @ v)
    call = describe_call("power_iteration", A, max_iter=max_iter, seed=seed)
    lam, got, converged = kata.power_iteration(A, max_iter=max_iter, seed=seed)
    assert converged is False, f"{call} returned converged=True after {max_iter} steps on eigenvalues 1 .. 0.9"
    assert_close(got, sign_norm(v), rtol=0, atol=1e-12, name=f"v (A^{max_iter} v0, normalised)", call=call)


def test_power_iteration_one_step_is_allowed(kata):
    A = np.array([[-3.0]])
    lam, v, converged = kata.power_iteration(A, max_iter=1)
    assert (lam, converged) == (-3.0, True), (f"power_iteration([[-3.0]], max_iter=1) returned lam={lam!r}, "
                                              f"converged={converged!r}; expected -3.0, True (1x1: one step suffices)")
    assert_equal(v, [1.0], name="v", call="power_iteration([[-3.0]], max_iter=1)")


@given(seed=seeds(), n=dims(2, 6))
def test_power_iteration_same_seed_same_result(kata, seed, n):
    A = with_spectrum(seed, np.linspace(1.0, 0.9, n))  # barely gapped: two steps are far from converged
    assert_seeded(lambda s: kata.power_iteration(A, max_iter=2, seed=s), seed, name="(lam, v, converged)")


@given(seed=seeds(), n=dims(2, 5))
@example(seed=0, n=2)
def test_power_iteration_does_not_converge_on_plus_minus_pair(kata, seed, n):
    """Eigenvalues 2 and −2: v flips between two directions forever."""
    A = with_spectrum(seed, np.array([2.0, -2.0, 1.0, 0.5, 0.25][:n]))
    call = describe_call("power_iteration", A, max_iter=300, seed=seed)
    lam, v, converged = kata.power_iteration(A, max_iter=300, seed=seed)
    assert converged is False, f"{call} returned converged=True on eigenvalues ±2 (Av ∦ v for every iterate)"
    assert_close(lam, v @ A @ v, rtol=1e-12, atol=1e-14, name="lam (the Rayleigh quotient of the returned v)",
                 call=call)


@given(n=dims(1, 5), seed=seeds())
def test_power_iteration_zero_matrix(kata, n, seed):
    """λ = 0 and Av = 0: the residual 0 is <= tol·|λ| = 0, so it converges at once."""
    A = np.zeros((n, n))
    call = describe_call("power_iteration", A, max_iter=3, seed=seed)
    lam, v, converged = kata.power_iteration(A, max_iter=3, seed=seed)
    assert lam == 0.0 and converged is True, f"{call} returned lam={lam!r}, converged={converged!r}; expected 0.0, True"
    assert np.isclose(np.linalg.norm(v), 1.0), f"{call}: ‖v‖ = {np.linalg.norm(v)!r}, expected 1"


def test_power_iteration_rejects_bad_input(kata):
    for A, kwargs, why in ((np.array([[1.0, 2.0], [0.0, 1.0]]), {}, "A is not symmetric"),
                           (np.ones((2, 3)), {}, "A is not square"),
                           (np.eye(2), {"max_iter": 0}, "max_iter < 1")):
        with pytest.raises(ValueError):
            kata.power_iteration(A, **kwargs)
            pytest.fail(f"{describe_call('power_iteration', A, **kwargs)} returned instead of raising ValueError: {why}")


@given(n=dims(1, 6), k=st.integers(0, 6), seed=seeds(), scale=SCALES)
@example(n=3, k=0, seed=0, scale=1.0)
@example(n=6, k=6, seed=1, scale=1.0)
def test_top_eigenpairs_match_eigh(kata, n, k, seed, scale):
    k = min(k, n)
    A = with_spectrum(seed, gapped_spectrum(seed, n, scale))
    call = describe_call("top_eigenpairs", A, k, seed=seed)
    values, vectors, converged = call_unmodified(kata.top_eigenpairs, A, k, seed=seed)
    assert_shape(values, (k,), name="values", call=call)
    assert_shape(vectors, (n, k), name="vectors", call=call)
    assert converged is True, f"{call} returned converged={converged!r}, expected True"
    w, V = np.linalg.eigh(A)
    order = np.argsort(-np.abs(w))[:k]
    # Deflation passes each run's 1e-10 residual on to the next: 1e-8 relative to |λ1| is ample.
    assert_close(values, w[order], rtol=0, atol=1e-8 * scale, name="values (largest |λ| first)", call=call)
    want = np.column_stack([sign_norm(V[:, j]) for j in order]) if k else np.zeros((n, 0))
    assert_close(vectors, want, rtol=0, atol=1e-6, name="vectors", call=call)


@given(n=dims(2, 5), seed=seeds())
def test_top_eigenpairs_deflates_with_seed_plus_i(kata, n, seed):
    """Replay the promised procedure with the learner's own power_iteration: runs use seed + i, B -= λvvᵀ."""
    A = with_spectrum(seed, np.linspace(1.0, 0.8, n))
    k, max_iter, tol = min(n, 3), 3, 1e-6  # three steps: far from converged, so every seed shows
    values, vectors, converged = kata.top_eigenpairs(A, k, tol=tol, max_iter=max_iter, seed=seed)
    B, want_vals, want_vecs = A.copy(), [], []
    for i in range(k):
        lam, v, _ = kata.power_iteration(B, tol=tol, max_iter=max_iter, seed=seed + i)
        want_vals.append(lam)
        want_vecs.append(v)
        B = B - lam * np.outer(v, v)
    call = describe_call("top_eigenpairs", A, k, tol=tol, max_iter=max_iter, seed=seed)
    assert converged is False, f"{call} returned converged=True after only {max_iter} steps"
    assert_close(values, want_vals, rtol=1e-12, atol=1e-14, name="values (run i uses seed + i on the deflated B)",
                 call=call)
    assert_close(vectors, np.column_stack(want_vecs), rtol=1e-12, atol=1e-14, name="vectors", call=call)


@given(seed=seeds(), n=dims(3, 6))
def test_top_eigenpairs_passes_tol_on(kata, seed, n):
    A = with_spectrum(seed, np.array([5.0, -4.0, 3.2, 0.5, 0.25, 0.1][:n]))
    for tol, expect in ((1e-2, True), (1e-12, False)):
        call = describe_call("top_eigenpairs", A, 2, tol=tol, max_iter=80, seed=seed)
        _, _, converged = kata.top_eigenpairs(A, 2, tol=tol, max_iter=80, seed=seed)
        assert converged is expect, f"{call} returned converged={converged!r}, expected {expect}"


def test_top_eigenpairs_rejects_bad_k(kata):
    A = np.eye(3)
    for k in (-1, 4):
        with pytest.raises(ValueError):
            kata.top_eigenpairs(A, k)
            pytest.fail(f"top_eigenpairs(float64[3, 3], {k}) returned instead of raising ValueError: k not in [0, 3]")
    with pytest.raises(ValueError):
        kata.top_eigenpairs(np.array([[0.0, 1.0], [2.0, 0.0]]), 1)
        pytest.fail("top_eigenpairs on a non-symmetric matrix returned instead of raising ValueError")


def check_eigh(kata, A: np.ndarray, call: str) -> None:
    n = A.shape[0]
    w, V = call_unmodified(kata.jacobi_eigh, A)
    assert_shape(w, (n,), name="w", call=call)
    assert_shape(V, (n, n), name="V", call=call)
    assert_dtype(w, np.float64, name="w", call=call)
    assert_dtype(V, np.float64, name="V", call=call)
    A64 = A.astype(np.float64)
    scale = max(float(np.linalg.norm(A64)), 1e-300)
    assert_close(w, np.linalg.eigvalsh(A64), rtol=0, atol=1e-12 * scale, name="w (ascending, like eigh)", call=call)
    assert_close(V.T @ V, np.eye(n), rtol=0, atol=1e-12, name="VᵀV (should be I)", call=call)
    assert_close(A64 @ V, V * np.asarray(w), rtol=0, atol=1e-12 * scale,
                 name="A V (should be V diag(w): eigenvectors are the columns)", call=call)


@given(n=dims(1, 6), seed=seeds(), dtype=float_dtypes(), scale=SCALES)
@example(n=1, seed=0, dtype=np.float64, scale=1.0)
@example(n=6, seed=1, dtype=np.float32, scale=1e4)
def test_jacobi_matches_eigh(kata, n, seed, dtype, scale):
    M = np.random.default_rng(seed).standard_normal((n, n)) * scale
    A = ((M + M.T) / 2).astype(dtype)
    check_eigh(kata, A, describe_call("jacobi_eigh", A))


@given(seed=seeds(), kind=st.sampled_from(["identity", "repeated", "diagonal", "zero", "rank-one"]), n=dims(2, 6))
@example(seed=0, kind="repeated", n=3)
@example(seed=1, kind="diagonal", n=5)
def test_jacobi_on_degenerate_spectra(kata, seed, kind, n):
    rng = np.random.default_rng(seed)
    if kind == "identity":
        A = np.eye(n) * 3.0
    elif kind == "repeated":
        A = with_spectrum(seed, np.array([1.0, 1.0, 3.0, -2.0, -2.0, 0.5][:n]))
    elif kind == "diagonal":
        A = np.diag(rng.standard_normal(n))  # nothing to rotate: only the sort is left
    elif kind == "zero":
        A = np.zeros((n, n))
    else:
        u = rng.standard_normal(n)
        A = np.outer(u, u)
    check_eigh(kata, A, describe_call("jacobi_eigh", A) + f" ({kind})")


def test_jacobi_rejects_non_symmetric(kata):
    A = np.array([[1.0, 2.0], [2.0 + 1e-9, 1.0]])
    with pytest.raises(ValueError):
        kata.jacobi_eigh(A)
        pytest.fail("jacobi_eigh on a non-symmetric matrix returned instead of raising ValueError")
