"""Tests for found-02-2, Taylor polynomials and the Lagrange remainder bound.

References: the functions themselves (numpy's exp, sin, log1p, 1/(1−t)) with closed-form
derivatives of every order: the Lagrange remainder theorem must hold on drawn points with a
rigorous bound M for each function; the definition summed with math.fsum; and a brute-force
search for the smallest order that meets a tolerance.
"""
import math

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from grader.strategies import seeds
from grader.testing import assert_close, assert_shape, describe_call

DERIVS = {  # the k-th derivative of each function at a, in closed form
    "exp": lambda k, a: math.exp(a),
    "sin": lambda k, a: math.sin(a + k * math.pi / 2),
    "log1p": lambda k, a: math.log1p(a) if k == 0 else (-1) ** (k - 1) * math.factorial(k - 1) / (1 + a) ** k,
    "geometric": lambda k, a: math.factorial(k) / (1 - a) ** (k + 1),
}
FUNCS = sorted(DERIVS)
NUMPY_F = {"exp": np.exp, "sin": np.sin, "log1p": np.log1p, "geometric": lambda t: 1 / (1 - t)}
DOMAIN = {"exp": (-2.0, 2.0), "sin": (-3.0, 3.0), "log1p": (-0.5, 1.0), "geometric": (-0.5, 0.5)}


def sup_derivative(name: str, n: int, lo: float, hi: float) -> float:
    """A rigorous M >= |f^(n+1)(t)| for every t in [lo, hi]."""
    k = n + 1
    if name == "exp":
        return math.exp(hi)
    if name == "sin":
        return 1.0
    if name == "log1p":
        return math.factorial(k - 1) / (1 + lo) ** k
    return math.factorial(k) / (1 - hi) ** (k + 1)


def points(name: str, seed: int, a: float) -> np.ndarray:
    lo, hi = DOMAIN[name]
    return np.random.default_rng(seed).uniform(lo, hi, size=(2, 3))


@given(name=st.sampled_from(FUNCS), n=st.integers(0, 8), a=st.floats(-0.5, 0.5, width=32), seed=seeds())
@example(name="exp", n=0, a=0.0, seed=0)
@example(name="sin", n=5, a=0.5, seed=1)
def test_taylor_polynomial_matches_the_definition(kata, name, n, a, seed):
    derivs = np.array([DERIVS[name](k, a) for k in range(n + 1)])
    x = points(name, seed, a)
    call = describe_call("taylor_polynomial", derivs, a, x)
    got = kata.taylor_polynomial(derivs, a, x)
    assert_shape(got, x.shape, call=call)
    want = np.array([math.fsum(derivs[k] * (xi - a) ** k / math.factorial(k) for k in range(n + 1))
                     for xi in x.ravel()]).reshape(x.shape)
    assert_close(got, want, rtol=1e-10, atol=1e-12, name=f"T_{n}(x) of {name} about a={a:g}", call=call)


@given(name=st.sampled_from(FUNCS), n=st.integers(0, 8), a=st.floats(-0.5, 0.5, width=32), seed=seeds())
@example(name="exp", n=3, a=0.0, seed=0)
@example(name="geometric", n=6, a=0.25, seed=1)
def test_error_stays_within_the_remainder_bound(kata, name, n, a, seed):
    derivs = np.array([DERIVS[name](k, a) for k in range(n + 1)])
    x = points(name, seed, a)
    T_n = kata.taylor_polynomial(derivs, a, x)
    for xi, ti in zip(x.ravel(), np.ravel(T_n), strict=True):
        M = sup_derivative(name, n, min(a, xi), max(a, xi))
        bound = kata.remainder_bound(M, a, xi, n)
        want = M * abs(xi - a) ** (n + 1) / math.factorial(n + 1)
        call = describe_call("remainder_bound", M, a, float(xi), n)
        assert_close(bound, want, rtol=1e-12, atol=0, name="bound M|x − a|^(n+1)/(n+1)!", call=call)
        err = abs(NUMPY_F[name](xi) - ti)
        assert err <= bound * (1 + 1e-9) + 1e-12, (f"|{name}({xi:.6g}) − T_{n}| = {err:.3g} exceeds the remainder bound "
                                                   f"{float(bound):.3g}: is T_{n} or the bound wrong?")


def test_polynomials_are_their_own_taylor_series(kata):
    """f(t) = 2 − t + 3t³ about a = 1: derivatives 4, 8, 18, 18; T_3 = f exactly, and the bound with M = 0 is 0."""
    x = np.linspace(-2, 2, 9)
    got = kata.taylor_polynomial(np.array([4.0, 8.0, 18.0, 18.0]), 1.0, x)
    assert_close(got, 2 - x + 3 * x**3, rtol=1e-12, atol=1e-12, name="T_3 of a cubic", call="taylor_polynomial([4, 8, 18, 18], 1.0, x)")
    assert_close(kata.remainder_bound(0.0, 1.0, x, 3), np.zeros_like(x), rtol=0, atol=0, name="bound with M = 0",
                 call="remainder_bound(0.0, 1.0, x, 3)")


def test_scalar_x(kata):
    got = kata.taylor_polynomial(np.array([1.0, 1.0, 1.0]), 0.0, 0.5)
    assert_close(got, 1.625, rtol=1e-15, atol=0, name="T_2 of exp at 0.5", call="taylor_polynomial([1, 1, 1], 0.0, 0.5)")


@given(M=st.sampled_from([0.5, 1.0, math.e, 10.0]), r=st.sampled_from([0.1, 0.5, 1.0, 2.0]),
       tol=st.sampled_from([1e-2, 1e-6, 1e-12]))
@example(M=1.0, r=1.0, tol=1 / 6)   # the bound at n = 2 is exactly 1/6: equal to tol is good enough
@example(M=1.0, r=1.0, tol=0.5)     # n = 1: 1/2! = tol
def test_terms_needed_is_the_first_order_that_suffices(kata, M, r, tol):
    want = next(n for n in range(101) if M * r ** (n + 1) / math.factorial(n + 1) <= tol)
    got = kata.terms_needed(M, r, tol)
    assert got == want, (f"terms_needed({M}, {r}, {tol}) returned {got}, expected {want}: the smallest n with "
                         f"M r^(n+1)/(n+1)! <= tol (bound at your n: {M * r ** (got + 1) / math.factorial(got + 1):.3g})")


def test_terms_needed_for_exp_meets_the_tolerance(kata):
    """exp on [-1, 1] to 1e-10: the promised order really is accurate enough."""
    n = kata.terms_needed(math.e, 1.0, 1e-10)
    x = np.linspace(-1, 1, 21)
    err = np.max(np.abs(np.exp(x) - kata.taylor_polynomial(np.ones(n + 1), 0.0, x)))
    assert err <= 1e-10, f"terms_needed(e, 1, 1e-10) = {n}, but T_{n} of exp is off by {err:.3g} on [-1, 1]"


def test_terms_needed_edges(kata):
    cases = [((0.0, 1.0, 1e-3), 0, "M = 0: T_0 is already exact"), ((2.0, 0.0, 1e-3), 0, "r = 0: only x = a"),
             ((1.0, 1.0, 1 / 6, 2), 2, "max_n = 2 is allowed to be the answer"),
             ((1.0, 1.0, 1e-10, 13), 13, "exp-like on [-1, 1] to 1e-10 needs n = 13")]
    for args, want, why in cases:
        got = kata.terms_needed(*args)
        assert got == want, f"terms_needed{args} returned {got}, expected {want} ({why})"
    for args, why in (((1.0, 1.0, 1 / 6, 1), "max_n = 1 < 2"), ((1.0, 1.0, 1e-10, 5), "max_n = 5 < 13"),
                      ((0.0, 1.0, 0.0), "tol = 0 even when M = 0")):
        with pytest.raises(ValueError):
            kata.terms_needed(*args)
            pytest.fail(f"terms_needed{args} returned instead of raising ValueError: {why}")


def test_invalid_arguments_raise(kata):
    cases = [(kata.taylor_polynomial, (np.array([]), 0.0, 1.0), "empty derivs"),
             (kata.taylor_polynomial, (np.ones((2, 2)), 0.0, 1.0), "2-D derivs"),
             (kata.remainder_bound, (1.0, 0.0, 1.0, -1), "n < 0"),
             (kata.remainder_bound, (-1.0, 0.0, 1.0, 2), "M < 0"),
             (kata.terms_needed, (-1.0, 1.0, 1e-3), "M < 0"),
             (kata.terms_needed, (1.0, -1.0, 1e-3), "r < 0"),
             (kata.terms_needed, (1.0, 1.0, 0.0), "tol = 0"),
             (kata.terms_needed, (1.0, 100.0, 1e-300, 5), "no n <= max_n = 5 reaches tol")]
    for fn, args, why in cases:
        with pytest.raises(ValueError):
            fn(*args)
            pytest.fail(f"{fn.__name__}{args} returned instead of raising ValueError: {why}")
