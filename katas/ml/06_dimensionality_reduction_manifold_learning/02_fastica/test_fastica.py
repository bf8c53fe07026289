"""Tests for ml-06-2, FastICA.

References: sklearn.decomposition.FastICA(whiten="unit-variance", whiten_solver="eigh",
fun="logcosh", algorithm="parallel") fitted with the same w_init, which must give the same
whitening, unmixing matrix and iteration count; scipy.linalg.polar for the symmetric
decorrelation; and, independently of sklearn, recovery of known sources measured by the Amari
index of components_ @ A and by the |correlation| of each source with its best-matched estimate.
"""
import warnings

import numpy as np
import pytest
import scipy.linalg
from hypothesis import assume, example, given
from hypothesis import strategies as st
from scipy import signal
from scipy.optimize import linear_sum_assignment
from sklearn.decomposition import FastICA as SkFastICA

from grader.strategies import seeds
from grader.testing import assert_close, assert_shape, call_unmodified, describe_call

# The fixed-point iteration contracts towards its solution, so float64 rounding differences
# between your code and sklearn's stay ~1e-12; 1e-7 leaves a wide margin.
RTOL, ATOL = 1e-7, 1e-7


def make_sources(seed: int, n: int, k: int) -> np.ndarray:
    """k of four independent, non-Gaussian signals (sine, square, sawtooth, Laplace noise)."""
    rng = np.random.default_rng(seed)
    t = np.linspace(0.0, 10.0, n)
    ph = rng.uniform(0.0, 2 * np.pi, size=3)
    pool = [np.sin(2 * np.pi * 0.7 * t + ph[0]), np.sign(np.sin(2 * np.pi * 1.9 * t + ph[1])),
            signal.sawtooth(2 * np.pi * 3.1 * t + ph[2]), rng.laplace(size=n)]
    return np.stack([pool[i] for i in rng.permutation(4)[:k]], axis=1)


def make_mixture(seed: int, n: int, k: int, d: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(X, S, A): X = S A^T (+ a little noise when d > k, so the extra directions are not exactly 0)."""
    rng = np.random.default_rng(seed + 1)
    S = make_sources(seed, n, k)
    A = rng.normal(size=(d, k))
    X = S @ A.T + rng.uniform(-5, 5, size=d)
    if d > k:
        X = X + 0.01 * rng.normal(size=X.shape)
    return X, S, A


def whitening_gap(X: np.ndarray, k: int) -> float:
    """Smallest relative gap among the covariance eigenvalues that define the first k whitened axes."""
    ev = np.sort(np.linalg.eigvalsh(np.atleast_2d(np.cov(X, rowvar=False))))[::-1][: min(k + 1, X.shape[1])]
    return float(np.min(-np.diff(ev) / ev[:-1])) if len(ev) > 1 else np.inf


def sklearn_fastica(X: np.ndarray, k: int, w_init: np.ndarray, max_iter: int, tol: float) -> SkFastICA:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ConvergenceWarning when max_iter is tiny
        return SkFastICA(n_components=k, algorithm="parallel", whiten="unit-variance", fun="logcosh",
                         w_init=w_init, max_iter=max_iter, tol=tol, whiten_solver="eigh").fit(X)


def amari_index(P: np.ndarray) -> float:
    """0 when P is a scaled permutation matrix, up to 1 when it mixes everything."""
    P = np.abs(P)
    k = len(P)
    if k == 1:
        return 0.0
    rows = (P.sum(1) / P.max(1) - 1).sum()
    cols = (P.sum(0) / P.max(0) - 1).sum()
    return float((rows + cols) / (2 * k * (k - 1)))


@given(seed=seeds(), k=st.integers(1, 6))
@example(seed=0, k=1)
def test_sym_decorrelation_is_the_polar_factor(kata, seed, k):
    W = np.random.default_rng(seed).normal(size=(k, k))
    assume(np.linalg.cond(W) < 1e3)
    call = describe_call("sym_decorrelation", W)
    got = call_unmodified(kata.sym_decorrelation, W)
    assert_shape(got, (k, k), call=call)
    want, _ = scipy.linalg.polar(W, side="left")  # W = P U with P = (W W^T)^(1/2): U = P^-1 W
    # cond(W) < 1e3 loses at most ~3 digits of float64.
    assert_close(got @ np.asarray(got).T, np.eye(k), rtol=0, atol=1e-9, name="W W^T (rows must be orthonormal)",
                 call=call)
    assert_close(got, want, rtol=0, atol=1e-9, name="decorrelated W (vs scipy.linalg.polar)", call=call)


@given(seed=seeds(), n=st.integers(100, 400), k=st.integers(1, 4), extra=st.integers(0, 1),
       max_iter=st.sampled_from([1, 2, 5, 200]), tol=st.sampled_from([1e-4, 1e-8]))
@example(seed=0, n=100, k=1, extra=0, max_iter=200, tol=1e-4)
@example(seed=1, n=300, k=4, extra=1, max_iter=200, tol=1e-8)
@example(seed=2, n=200, k=3, extra=0, max_iter=1, tol=1e-4)  # one iteration from w_init
@example(seed=3, n=100, k=1, extra=1, max_iter=5, tol=0.0)  # k = 1: |<w_new, w_old>| is 1 at once; only < 0 stops
def test_matches_sklearn_with_the_same_w_init(kata, seed, n, k, extra, max_iter, tol):
    d = k + extra
    X, _, _ = make_mixture(seed, n, k, d)
    assume(whitening_gap(X, k) > 1e-4)  # near-equal variances make the whitening axes ill-defined
    w_init = np.random.default_rng(seed + 2).normal(size=(k, k))
    call = describe_call(f"FastICA({k}, w_init, max_iter={max_iter}, tol={tol:g}).fit", X)
    ica = kata.FastICA(k, w_init, max_iter=max_iter, tol=tol)
    assert call_unmodified(lambda X, w_init: ica.fit(X), X, w_init, fn_name="fit") is ica, f"{call} must return self"
    ref = sklearn_fastica(X, k, w_init, max_iter, tol)
    assert_close(ica.mean_, ref.mean_, rtol=RTOL, atol=ATOL, name="mean_", call=call)
    # sklearn stores K / sqrt(n) and multiplies the whitened data by sqrt(n) later; same thing.
    assert_close(ica.whitening_, ref.whitening_ * np.sqrt(n), rtol=RTOL, atol=ATOL,
                 name="whitening_ (rows: eigenvectors / sqrt(eigenvalue), first entries positive)", call=call)
    assert ica.n_iter_ == ref.n_iter_, (
        f"{call} ran {ica.n_iter_} iterations, sklearn ran {ref.n_iter_}: count every update, and stop right "
        "after the update whose max | |<w_new, w_old>| - 1 | < tol")
    assert_close(ica.components_, ref.components_, rtol=RTOL, atol=ATOL, name="components_ (unmixing)", call=call)
    assert_close(ica.mixing_, ref.mixing_, rtol=RTOL, atol=1e-6, name="mixing_", call=call)
    assert_close(ica.transform(X), ref.transform(X), rtol=RTOL, atol=1e-6, name="transform(X)", call=call)


@given(seed=seeds(), k=st.integers(2, 4), extra=st.integers(0, 1))
@example(seed=3, k=4, extra=0)
def test_recovers_known_sources(kata, seed, k, extra):
    """Unmixing times mixing is close to a scaled permutation, and every source is found."""
    d = k + extra
    X, S, A = make_mixture(seed, 500, k, d)
    w_init = np.random.default_rng(seed + 2).normal(size=(k, k))
    ica = call_unmodified(kata.FastICA(k, w_init, max_iter=200, tol=1e-6).fit, X)
    call = describe_call(f"FastICA({k}, w_init).fit", X)
    S_hat = np.asarray(ica.transform(X))
    assert_shape(S_hat, (500, k), name="transform(X)", call=call)
    # Unit-variance sources is exact, not statistical: the whitened data have identity covariance.
    assert_close(S_hat.std(axis=0), np.ones(k), rtol=0, atol=1e-8, name="std of each estimated source", call=call)
    P = np.asarray(ica.components_) @ A
    amari = amari_index(P)
    C = np.abs(np.corrcoef(S_hat.T, S.T)[:k, k:])
    rows, cols = linear_sum_assignment(-C)
    worst = float(C[rows, cols].min())
    # Over 4000 seeds the reference reaches amari <= 0.13 and matched |corr| >= 0.984.
    assert amari < 0.25 and worst > 0.95, (
        f"{call} did not separate the sources: Amari index {amari:.3f} (want < 0.25), worst matched "
        f"|correlation| {worst:.3f} (want > 0.95)\n  components_ @ A =\n{np.round(P, 3)}\n"
        f"  |corr(estimated, true)| =\n{np.round(C, 3)}")


@given(seed=seeds(), n=st.integers(50, 300), k=st.integers(1, 4))
@example(seed=4, n=50, k=4)
def test_whitened_data_are_white_and_mixing_inverts(kata, seed, n, k):
    X, _, _ = make_mixture(seed, n, k, k)
    w_init = np.random.default_rng(seed + 2).normal(size=(k, k))
    ica = call_unmodified(kata.FastICA(k, w_init, max_iter=3).fit, X)
    call = describe_call(f"FastICA({k}, w_init, max_iter=3).fit", X)
    Z = (X - ica.mean_) @ np.asarray(ica.whitening_).T
    # Covariance with 1/n: the identity to rounding (entries of size 1, float64).
    assert_close(Z.T @ Z / n, np.eye(k), rtol=0, atol=1e-8,
                 name="covariance (1/n) of the whitened data (X - mean_) @ whitening_.T", call=call)
    assert_close(np.asarray(ica.components_) @ np.asarray(ica.mixing_), np.eye(k), rtol=0, atol=1e-8,
                 name="components_ @ mixing_", call=call)
    S = ica.transform(X)
    assert_close(ica.inverse_transform(S), X, rtol=1e-8, atol=1e-8, name="inverse_transform(transform(X))",
                 call=call)


@given(k=st.integers(1, 3), bad=st.integers(1, 2))
def test_rejects_bad_arguments(kata, k, bad):
    X, _, _ = make_mixture(0, 60, k, k)
    with pytest.raises(ValueError):
        kata.FastICA(k, np.eye(k + bad)).fit(X)
    with pytest.raises(ValueError):
        kata.FastICA(k + bad, np.eye(k + bad)).fit(X)
    # Shapes numpy alone would not reject: a (k + 1, k) w_init multiplies the (k, n) whitened data fine,
    # and with fewer rows than columns k <= d still needs k <= n.
    with pytest.raises(ValueError):
        kata.FastICA(k, np.ones((k + 1, k)) + np.eye(k + 1, k)).fit(X)
        raise AssertionError(f"FastICA({k}, w_init of shape {(k + 1, k)}).fit returned: w_init must be ({k}, {k})")
    with pytest.raises(ValueError):
        kata.FastICA(0, np.eye(0)).fit(X)
        raise AssertionError("FastICA(0, np.eye(0)).fit returned: n_components must be >= 1")
    wide = np.random.default_rng(k).normal(size=(k, k + bad + 1))  # n = k rows, d = k + bad + 1 columns
    with pytest.raises(ValueError):
        kata.FastICA(k + bad, np.eye(k + bad)).fit(wide)
        raise AssertionError(f"FastICA({k + bad}).fit(X of shape {wide.shape}) returned: n_components must be "
                             f"<= min(n, d) = {k}")
