"""Tests for dl-08-7, implicit regularisation of gradient descent.

References: numpy.linalg.pinv for the minimum-norm interpolant; scipy.linalg.null_space for the
null-space projector; the exact linear recursion of GD iterates; and the measured endpoint of GD
from zero (the minimum-norm solution) and from a random start (that solution plus the start's
null-space component, untouched).
"""
import numpy as np
from hypothesis import example, given
from hypothesis import strategies as st
from scipy.linalg import null_space

from grader.strategies import seeds
from grader.testing import assert_close, assert_no_alias, assert_shape, call_unmodified, describe_call


def problem(seed: int, n: int, d: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.standard_normal((n, d)), rng.standard_normal(n)


@given(seed=seeds(), n=st.integers(1, 6), extra=st.integers(0, 6), rank_deficient=st.booleans())
@example(seed=0, n=3, extra=0, rank_deficient=False)   # square: the unique solution
@example(seed=1, n=4, extra=3, rank_deficient=True)    # duplicated row: X Xᵀ is singular
def test_min_norm_solution_is_the_pseudo_inverse(kata, seed, n, extra, rank_deficient):
    X, y = problem(seed, n, n + extra)
    if rank_deficient and n > 1:
        X[-1] = X[0]
        y[-1] = y[0]
    call = describe_call("min_norm_solution", X, y)
    got = call_unmodified(kata.min_norm_solution, X, y, fn_name="min_norm_solution")
    assert_shape(got, (n + extra,), call=call)
    assert_close(got, np.linalg.pinv(X) @ y, rtol=1e-8, atol=1e-10, name="w* (vs numpy.linalg.pinv(X) @ y)", call=call)


@given(seed=seeds(), n=st.integers(1, 5), extra=st.integers(1, 5))
def test_null_space_projection(kata, seed, n, extra):
    X, _ = problem(seed, n, n + extra)
    w = np.random.default_rng(seed + 1).standard_normal(n + extra)
    N = null_space(X)
    call = describe_call("null_space_projection", X, w)
    got = call_unmodified(kata.null_space_projection, X, w, fn_name="null_space_projection")
    assert_close(got, N @ (N.T @ w), rtol=1e-8, atol=1e-10, name="P_null w (vs scipy.linalg.null_space)", call=call)


@given(seed=seeds(), n=st.integers(1, 5), extra=st.integers(0, 4), steps=st.integers(0, 5),
       lr=st.sampled_from([0.01, 0.1]), start=st.booleans())
@example(seed=2, n=2, extra=2, steps=0, lr=0.1, start=True)
def test_gd_iterates_follow_the_recursion(kata, seed, n, extra, steps, lr, start):
    X, y = problem(seed, n, n + extra)
    w0 = np.random.default_rng(seed + 1).standard_normal(n + extra) if start else None
    call = describe_call(f"gradient_descent(lr={lr}, steps={steps})", X, y, w0)
    w, losses = call_unmodified(kata.gradient_descent, X, y, lr, steps, w0=w0, fn_name="gradient_descent")
    assert_no_alias(w, w0, name="w (a new array, also for steps = 0)", call=call)
    v = np.zeros(n + extra) if w0 is None else w0.copy()
    want = []
    for _ in range(steps):
        want.append(np.sum((X @ v - y) ** 2) / (2 * n))
        v = v - lr * X.T @ (X @ v - y) / n
    want.append(np.sum((X @ v - y) ** 2) / (2 * n))
    assert_close(w, v, rtol=1e-12, atol=1e-12, name="w after the steps", call=call)
    assert_close(losses, want, rtol=1e-12, atol=1e-14, name="losses (before every step, and after the last)", call=call)


@given(seed=seeds(), n=st.integers(2, 6), extra=st.integers(2, 10))
@example(seed=3, n=5, extra=10)
def test_gd_from_zero_finds_the_minimum_norm_interpolant(kata, seed, n, extra):
    """Measured: GD never leaves the row space of X when started in it, so from 0 it converges to X⁺y —
    the smallest-norm solution, although nothing in the loss asks for a small norm."""
    X, y = problem(seed, n, n + extra)
    s = np.linalg.svd(X / np.sqrt(n), compute_uv=False)
    lr = 1 / s[0] ** 2
    steps = int(np.ceil(40 * (s[0] / s[-1]) ** 2))  # (1 − lr σ_min²)^steps < e^-40
    w, losses = kata.gradient_descent(X, y, lr, steps)
    w_star = np.linalg.pinv(X) @ y
    call = describe_call(f"gradient_descent(lr=1/λ_max, steps={steps}) from 0", X, y)
    assert losses[-1] < 1e-12 * max(losses[0], 1.0), f"{call}: final loss {losses[-1]:.3g}, expected interpolation"
    assert_close(w, w_star, rtol=1e-6, atol=1e-8, name="GD's limit from zero (vs pinv(X) @ y)", call=call)
    other = w_star + null_space(X)[:, 0]  # another interpolant, with a larger norm
    assert np.linalg.norm(w) < np.linalg.norm(other), "(test self-check) the min-norm solution is not the smallest"


@given(seed=seeds(), n=st.integers(2, 5), extra=st.integers(1, 6))
def test_gd_keeps_the_null_space_part_of_its_start(kata, seed, n, extra):
    X, y = problem(seed, n, n + extra)
    w0 = np.random.default_rng(seed + 1).standard_normal(n + extra) * 2
    s = np.linalg.svd(X / np.sqrt(n), compute_uv=False)
    w, _ = kata.gradient_descent(X, y, 1 / s[0] ** 2, int(np.ceil(40 * (s[0] / s[-1]) ** 2)), w0=w0)
    N = null_space(X)
    assert_close(w, np.linalg.pinv(X) @ y + N @ (N.T @ w0), rtol=1e-6, atol=1e-8,
                 name="GD's limit from w0 (= X⁺y + P_null w0)", call=describe_call("gradient_descent from w0", X, y, w0))
