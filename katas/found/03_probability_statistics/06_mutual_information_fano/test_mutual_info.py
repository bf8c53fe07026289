"""Tests for found-03-6, mutual information and Fano's inequality.

References: sklearn.metrics.mutual_info_score on label sequences; scipy.stats.entropy for H(X),
H(Y), H(X, Y) of joint tables; scipy.optimize.brentq for the root of Fano's bound; and Fano's
inequality itself: the Bayes error 1 − Σ_y max_x P(x, y) of a random joint is never below the bound.
"""
import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from scipy import optimize, stats
from sklearn.metrics import mutual_info_score

from grader.strategies import seeds
from grader.testing import assert_close, call_unmodified, describe_call


def joint(seed: int, r: int, c: int, zeros: bool) -> np.ndarray:
    rng = np.random.default_rng(seed)
    P = rng.dirichlet(np.full(r * c, 0.5)).reshape(r, c) * rng.choice([1.0, 50.0])  # not normalised
    if zeros:
        P[rng.random((r, c)) < 0.3] = 0.0
        P[0, 0] += 1.0
    return P


@given(n=st.integers(1, 200), kx=st.integers(1, 5), ky=st.integers(1, 5), seed=seeds(), strings=st.booleans())
@example(n=1, kx=1, ky=1, seed=0, strings=False)  # one sample: no information
@example(n=50, kx=4, ky=4, seed=1, strings=True)
def test_mutual_information_matches_sklearn(kata, n, kx, ky, seed, strings):
    rng = np.random.default_rng(seed)
    x = rng.integers(0, kx, n)
    y = (x + rng.integers(0, 2, n)) % ky  # y depends on x
    if strings:
        x, y = np.array([f"c{v}" for v in x]), np.array([f"label-{v}" for v in y])
    call = describe_call("mutual_information", x, y)
    x0, y0 = x.copy(), y.copy()
    got = kata.mutual_information(x, y)
    assert np.array_equal(x, x0) and np.array_equal(y, y0), f"{call} modified its label arrays"
    assert_close(got, mutual_info_score(x, y), rtol=1e-10, atol=1e-12, name="I(X; Y) in nats", call=call)


@given(r=st.integers(1, 5), c=st.integers(1, 5), seed=seeds(), zeros=st.booleans())
@example(r=3, c=3, seed=0, zeros=True)
def test_joint_quantities_match_entropies(kata, r, c, seed, zeros):
    P = joint(seed, r, c, zeros)
    Pn = P / P.sum()
    hx, hy, hxy = stats.entropy(Pn.sum(1)), stats.entropy(Pn.sum(0)), stats.entropy(Pn.ravel())
    call = describe_call("mutual_information_joint", P)
    mi = call_unmodified(kata.mutual_information_joint, P)
    assert_close(mi, hx + hy - hxy, rtol=1e-10, atol=1e-12, name="I(X; Y) = H(X) + H(Y) − H(X, Y)", call=call)
    assert mi >= 0, f"{call} = {mi} < 0"
    call = describe_call("conditional_entropy", P)
    h = call_unmodified(kata.conditional_entropy, P)
    hint = " (that is H(Y | X): rows are X, columns are Y)" if not np.isclose(hx - hy, 0) and np.isclose(h, hxy - hx) else ""
    assert_close(h, hxy - hy, rtol=1e-10, atol=1e-12, name=f"H(X | Y) = H(X, Y) − H(Y){hint}", call=call)


def test_independent_and_deterministic_tables(kata):
    P_ind = np.outer([0.2, 0.8], [0.5, 0.25, 0.25])
    assert_close(kata.mutual_information_joint(P_ind), 0.0, rtol=0, atol=1e-12, name="I for an independent table",
                 call="mutual_information_joint(outer product)")
    P_det = np.diag([0.25, 0.25, 0.5])
    assert_close(kata.conditional_entropy(P_det), 0.0, rtol=0, atol=1e-12, name="H(X | Y) when Y determines X",
                 call="conditional_entropy(diag)")
    assert_close(kata.mutual_information_joint(P_det), stats.entropy([0.25, 0.25, 0.5]), rtol=1e-12, atol=0,
                 name="I = H(X) when Y determines X", call="mutual_information_joint(diag)")


def fano_root(h: float, k: int) -> float:
    f = lambda p: (stats.entropy([p, 1 - p]) if 0 < p < 1 else 0.0) + p * np.log(k - 1) - h
    hi = (k - 1) / k
    if h == 0:
        return 0.0
    if f(hi) <= 0:
        return hi
    return optimize.brentq(f, 0.0, hi, xtol=1e-14)


@given(k=st.integers(2, 8), frac=st.floats(0.0, 1.0, width=32))
@example(k=2, frac=0.0)
@example(k=2, frac=1.0)   # H = log 2 with k = 2: P_e = 1/2
@example(k=5, frac=1.0)   # H = log k: P_e = (k − 1)/k, the error of guessing at random
@example(k=3, frac=0.5)
def test_fano_matches_the_root(kata, k, frac):
    h = frac * np.log(k)
    call = describe_call("fano_lower_bound", h, k)
    got = kata.fano_lower_bound(h, k)
    assert_close(got, fano_root(h, k), rtol=0, atol=1e-10, name="smallest P_e allowed by Fano", call=call)


@given(k=st.integers(2, 6), m=st.integers(1, 6), seed=seeds())
def test_bayes_error_respects_fano(kata, k, m, seed):
    P = np.random.default_rng(seed).dirichlet(np.full(k * m, 0.7)).reshape(k, m)
    bayes_error = 1.0 - P.max(axis=0).sum()
    h = kata.conditional_entropy(P)
    bound = kata.fano_lower_bound(min(h, np.log(k)), k)
    assert bayes_error >= bound - 1e-9, (f"a {k}x{m} joint has Bayes error {bayes_error:.6g} below your Fano bound "
                                         f"{bound:.6g} (H(X|Y) = {h:.6g}): the bound is too high")


def test_invalid_inputs_raise(kata):
    cases = [(kata.mutual_information, (np.array([1, 2]), np.array([1, 2, 3])), "different lengths"),
             (kata.mutual_information, (np.array([]), np.array([])), "no samples"),
             (kata.mutual_information_joint, (np.array([0.5, 0.5]),), "a 1-D table"),
             (kata.conditional_entropy, (np.array([[0.5, -0.5], [0.5, 0.5]]),), "a negative entry"),
             (kata.fano_lower_bound, (0.1, 1), "k = 1"),
             (kata.fano_lower_bound, (0.0, 1), "k = 1 (even with H = 0)"),
             (kata.fano_lower_bound, (-0.1, 3), "H < 0"),
             (kata.fano_lower_bound, (np.log(3) + 0.01, 3), "H > log k")]
    for fn, args, why in cases:
        with pytest.raises(ValueError):
            fn(*args)
            pytest.fail(f"{describe_call(fn.__name__, *args)} returned instead of raising ValueError: {why}")
