"""Tests for found-02-1, matrix calculus checked by finite differences.

Reference: complex-step differentiation, f'(x) = Im f(x + i·h) / h with h = 1e-30, which has no
subtractive cancellation and so is exact to rounding for the analytic functions here (it plays the
part of an autodiff reference without importing a deep-learning framework); scipy.special.log_softmax
for the loss; and the central-difference formula replayed for numerical_gradient.
"""
import numpy as np
from hypothesis import example, given
from hypothesis import strategies as st
from scipy.special import log_softmax

from grader.strategies import dims, seeds
from grader.testing import assert_close, assert_shape, call_unmodified, describe_call

H_COMPLEX = 1e-30


def complex_step_grad(f, x: np.ndarray) -> np.ndarray:
    """Exact-to-rounding gradient of a real-analytic f written with complex-safe numpy operations."""
    grad = np.zeros(x.shape)
    for idx in np.ndindex(x.shape):
        z = x.astype(np.complex128)
        z[idx] += 1j * H_COMPLEX
        grad[idx] = np.imag(f(z)) / H_COMPLEX
    return grad


def ce_loss(logits, y: np.ndarray):
    """Mean cross-entropy written so complex perturbations pass through (max of the real part)."""
    m = np.max(np.real(logits), axis=1, keepdims=True)
    lse = m[:, 0] + np.log(np.sum(np.exp(logits - m), axis=1))
    return np.mean(lse - logits[np.arange(len(y)), y])


@given(n=dims(1, 6), seed=seeds(), symmetric=st.booleans())
@example(n=1, seed=0, symmetric=False)
@example(n=4, seed=1, symmetric=False)
def test_grad_quadratic_form(kata, n, seed, symmetric):
    rng = np.random.default_rng(seed)
    A, x = rng.standard_normal((n, n)), rng.standard_normal(n)
    if symmetric:
        A = A + A.T
    call = describe_call("grad_quadratic_form", A, x)
    got = call_unmodified(kata.grad_quadratic_form, A, x)
    assert_shape(got, (n,), call=call)
    want = complex_step_grad(lambda z: z @ A @ z, x)
    if not symmetric and np.allclose(got, 2 * A @ x) and not np.allclose(want, 2 * A @ x):
        raise AssertionError(f"{call} returned 2Ax: that is the gradient only for symmetric A; in general (A + Aᵀ)x")
    assert_close(got, want, rtol=1e-12, atol=1e-12, call=call)


@given(m=dims(1, 6), n=dims(1, 6), seed=seeds())
@example(m=1, n=1, seed=0)
@example(m=5, n=2, seed=1)
def test_grad_least_squares(kata, m, n, seed):
    rng = np.random.default_rng(seed)
    A, x, b = rng.standard_normal((m, n)), rng.standard_normal(n), rng.standard_normal(m)
    call = describe_call("grad_least_squares", A, x, b)
    got = call_unmodified(kata.grad_least_squares, A, x, b)
    assert_shape(got, (n,), call=call)
    want = complex_step_grad(lambda z: np.sum((A @ z - b) ** 2), x)
    assert_close(got, want, rtol=1e-12, atol=1e-12, call=call)


@given(n=dims(1, 5), c=dims(2, 6), seed=seeds(), scale=st.sampled_from([1.0, 10.0, 1000.0]))
@example(n=1, c=2, seed=0, scale=1.0)
@example(n=3, c=4, seed=1, scale=1000.0)  # exp(1000) overflows unless the max is subtracted
def test_softmax_cross_entropy(kata, n, c, seed, scale):
    rng = np.random.default_rng(seed)
    logits, y = rng.standard_normal((n, c)) * scale, rng.integers(0, c, n)
    call = describe_call("softmax_cross_entropy", logits, y)
    loss, grad = call_unmodified(kata.softmax_cross_entropy, logits, y)
    want_loss = -np.mean(log_softmax(logits, axis=1)[np.arange(n), y])
    assert isinstance(loss, float), f"{call} returned loss of type {type(loss).__name__}, expected float"
    assert_close(loss, want_loss, rtol=1e-12, atol=1e-12, name="loss (mean over the batch)", call=call)
    assert_shape(grad, (n, c), name="gradient", call=call)
    want = complex_step_grad(lambda z: ce_loss(z, y), logits)
    assert_close(grad, want, rtol=1e-10, atol=1e-12, name="gradient w.r.t. the logits", call=call)


def f_smooth(x: np.ndarray) -> float:
    return float(np.sum(np.sin(x) * np.arange(1, x.size + 1).reshape(x.shape)) + np.sum(x) ** 3 / 3)


@given(shape=st.sampled_from([(1,), (4,), (2, 3), (2, 1, 2)]), seed=seeds(), h=st.sampled_from([1e-6, 1e-4, 1e-2]))
@example(shape=(3,), seed=0, h=1e-2)
def test_numerical_gradient_is_the_central_difference(kata, shape, seed, h):
    """Replay the formula: grad[i] = (f(x + h e_i) - f(x - h e_i)) / 2h, for every index of x."""
    x = np.random.default_rng(seed).standard_normal(shape)
    call = describe_call("numerical_gradient", "f", x, h=h)
    got = call_unmodified(kata.numerical_gradient, f_smooth, x, h=h)
    assert_shape(got, shape, call=call)
    want = np.zeros(shape)
    for idx in np.ndindex(shape):
        e = np.zeros(shape)
        e[idx] = h
        want[idx] = (f_smooth(x + e) - f_smooth(x - e)) / (2 * h)
    assert_close(got, want, rtol=1e-9, atol=1e-9, name=f"central differences with h={h}", call=call)


@given(n=dims(1, 6), seed=seeds())
def test_numerical_gradient_is_second_order_accurate(kata, n, seed):
    """Central differences err by O(h²) ≈ 1e-12 at h = 1e-6; forward differences by O(h) ≈ 1e-6."""
    x = np.random.default_rng(seed).standard_normal(n)
    got = kata.numerical_gradient(f_smooth, x)
    want = complex_step_grad(lambda z: np.sum(np.sin(z) * np.arange(1, n + 1)) + np.sum(z) ** 3 / 3, x)
    err = float(np.max(np.abs(got - want)))
    scale = max(1.0, float(np.max(np.abs(want))))
    assert err <= 1e-8 * scale, (f"numerical_gradient(f, float64[{n}]) is off by {err:.3g} from the exact gradient: "
                                 "expected <= 1e-8 (central differences, error O(h²)); forward differences give ~1e-6")


@given(n=dims(1, 4), c=dims(2, 4), seed=seeds())
def test_gradient_check_agrees(kata, n, c, seed):
    """The workflow this kata is about: analytic gradient vs numerical_gradient on the same loss."""
    rng = np.random.default_rng(seed)
    logits, y = rng.standard_normal((n, c)), rng.integers(0, c, n)
    _, grad = kata.softmax_cross_entropy(logits, y)
    numeric = kata.numerical_gradient(lambda z: kata.softmax_cross_entropy(z, y)[0], logits)
    assert_close(grad, numeric, rtol=1e-6, atol=1e-8, name="analytic vs numerical gradient",
                 call=describe_call("softmax_cross_entropy", logits, y))


def test_numerical_gradient_of_integer_input(kata):
    """x = [1, 2, 3] as integers: f must still see float64 arrays (x + h in an int array is just x)."""
    x = np.array([1, 2, 3])
    got = kata.numerical_gradient(f_smooth, x, h=1e-3)
    want = np.array([(f_smooth(x + e) - f_smooth(x - e)) / 2e-3 for e in np.eye(3) * 1e-3])
    assert_close(got, want, rtol=1e-9, atol=1e-9, name="gradient at integer x", call="numerical_gradient(f, [1, 2, 3], h=1e-3)")
