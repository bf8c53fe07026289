"""Tests for found-02-4, condition numbers and error amplification.

References: numpy.linalg.cond for every p it supports (random, Hilbert and built-to-order
ill-conditioned matrices, and singular ones), the perturbation bound ‖δx‖/‖x‖ <= κ₂ ‖δb‖/‖b‖ on
random perturbations, and the singular-vector pair that attains it.
"""
import numpy as np
import pytest
import scipy.linalg
from hypothesis import example, given
from hypothesis import strategies as st

from grader.strategies import dims, seeds
from grader.testing import assert_close, assert_shape, call_unmodified, describe_call

PS = st.sampled_from([1, 2, np.inf, "fro"])


def conditioned(seed: int, n: int, log10_cond: float, normal: bool = False) -> np.ndarray:
    rng = np.random.default_rng(seed)
    q1, _ = np.linalg.qr(rng.standard_normal((n, n)))
    q2 = q1.T if normal else np.linalg.qr(rng.standard_normal((n, n)))[0]
    return q1 @ np.diag(np.logspace(0, -log10_cond, n)) @ q2


@given(n=dims(1, 6), seed=seeds(), log10_cond=st.integers(0, 10), p=PS, nonnormal=st.booleans())
@example(n=1, seed=0, log10_cond=0, p=2, nonnormal=False)
@example(n=4, seed=1, log10_cond=8, p=2, nonnormal=True)
def test_condition_number_matches_numpy(kata, n, seed, log10_cond, p, nonnormal):
    A = conditioned(seed, n, log10_cond) if nonnormal else np.random.default_rng(seed).standard_normal((n, n))
    call = describe_call("condition_number", A, p)
    got = call_unmodified(kata.condition_number, A, p)
    assert isinstance(got, float), f"{call} returned {type(got).__name__}, expected float"
    want = float(np.linalg.cond(A, p))
    # Computing A⁻¹ (or s_min) carries a relative error of about κ·eps: 1e-6 relative up to κ = 1e10.
    assert_close(got, want, rtol=1e-6, atol=0, name=f"κ_{p}(A)", call=call)


@pytest.mark.parametrize(("n", "p"), [(n, p) for n in (2, 4, 6, 8) for p in (1, 2, np.inf)])
def test_hilbert_matrices(kata, n, p):
    """The Hilbert matrix H[i, j] = 1/(i + j + 1): κ₂ grows like e^(3.5n), 1.5e10 at n = 8."""
    H = scipy.linalg.hilbert(n)
    assert_close(kata.condition_number(H, p), np.linalg.cond(H, p), rtol=1e-5, atol=0, name=f"κ_{p}(hilbert({n}))",
                 call=describe_call("condition_number", H, p))


def test_non_normal_matrix_is_not_eigenvalue_ratio(kata):
    """[[1, 1000], [0, 1]] has eigenvalues 1, 1 (ratio 1) but κ₂ ≈ 1e6: use singular values, not eigenvalues."""
    A = np.array([[1.0, 1000.0], [0.0, 1.0]])
    assert_close(kata.condition_number(A), np.linalg.cond(A), rtol=1e-9, atol=0, name="κ₂",
                 call="condition_number([[1, 1000], [0, 1]])")


@given(n=dims(2, 5), seed=seeds(), p=PS)
@example(n=3, seed=0, p=2)
@example(n=3, seed=0, p=np.inf)
def test_singular_matrix_has_infinite_condition_number(kata, n, seed, p):
    A = np.random.default_rng(seed).standard_normal((n, n))
    A[:, -1] = 0.0
    got = kata.condition_number(A, p)
    assert got == np.inf, f"condition_number(A with a zero column, {p!r}) returned {got!r}, expected inf"
    got = kata.condition_number(np.zeros((n, n)), p)
    assert got == np.inf, f"condition_number(zeros(({n}, {n})), {p!r}) returned {got!r}, expected inf (s_min == 0; not 0/0 = nan)"


def test_bad_arguments_raise(kata):
    for args, why in (((np.ones((2, 3)),), "A is not square"), ((np.eye(2), 3), "p = 3"), ((np.eye(2), "nuc"), "p = 'nuc'")):
        with pytest.raises(ValueError):
            kata.condition_number(*args)
            pytest.fail(f"{describe_call('condition_number', *args)} returned instead of raising ValueError: {why}")


@given(n=dims(1, 6), seed=seeds(), log10_cond=st.integers(0, 8), eps=st.sampled_from([1e-12, 1e-6, 1e-2]))
@example(n=1, seed=0, log10_cond=0, eps=1e-6)  # 1x1: x scales exactly with b, the amplification is 1
def test_amplification_matches_definition_and_bound(kata, n, seed, log10_cond, eps):
    A = conditioned(seed, n, log10_cond)
    rng = np.random.default_rng(seed + 1)
    b, db = rng.standard_normal(n), eps * rng.standard_normal(n)
    call = describe_call("error_amplification", A, b, db)
    got = call_unmodified(kata.error_amplification, A, b, db)
    x, dx = np.linalg.solve(A, b), np.linalg.solve(A, db)
    want = (np.linalg.norm(dx) / np.linalg.norm(x)) / (np.linalg.norm(db) / np.linalg.norm(b))
    assert_close(got, want, rtol=1e-6, atol=0, name="amplification (‖δx‖/‖x‖) / (‖δb‖/‖b‖)", call=call)
    kappa = np.linalg.cond(A)
    assert got <= kappa * (1 + 1e-6), f"{call} = {got:.6g} exceeds κ₂(A) = {kappa:.6g}"


@given(n=dims(1, 6), seed=seeds(), log10_cond=st.integers(0, 8), nonnormal=st.booleans())
@example(n=3, seed=0, log10_cond=6, nonnormal=True)
def test_worst_case_pair_attains_the_condition_number(kata, n, seed, log10_cond, nonnormal):
    A = conditioned(seed, n, log10_cond, normal=not nonnormal)
    call = describe_call("worst_case_pair", A)
    b, db = call_unmodified(kata.worst_case_pair, A)
    assert_shape(b, (n,), name="b", call=call)
    assert_shape(db, (n,), name="delta_b", call=call)
    assert_close([np.linalg.norm(b), np.linalg.norm(db)], [1.0, 1.0], rtol=1e-12, atol=0, name="norms of b, delta_b",
                 call=call)
    x, dx = np.linalg.solve(A, b), np.linalg.solve(A, db)
    amp = (np.linalg.norm(dx) / np.linalg.norm(x)) / (np.linalg.norm(db) / np.linalg.norm(b))
    kappa = np.linalg.cond(A)
    hint = " (that is 1/κ: the best case; swap b and delta_b)" if np.isclose(amp, 1 / kappa, rtol=1e-4) else ""
    assert np.isclose(amp, kappa, rtol=1e-6), f"{call}: the pair amplifies by {amp:.6g}, expected κ₂ = {kappa:.6g}{hint}"
