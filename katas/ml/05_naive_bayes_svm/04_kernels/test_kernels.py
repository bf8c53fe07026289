"""Tests for ml-05-4, linear / polynomial / RBF kernels and positive semi-definite Gram matrices.

References: sklearn.metrics.pairwise.{linear,polynomial,rbf}_kernel for the kernels (default
gammas included); numpy.linalg.eigvalsh for positive semi-definiteness, with matrices whose
smallest eigenvalue is known by construction; sklearn's polynomial_kernel(degree=2) for the
explicit feature map (the kernel trick: phi(x) . phi(y) = k(x, y)).
"""
import numpy as np
from hypothesis import example, given
from hypothesis import strategies as st
from sklearn.metrics import pairwise

from grader.strategies import seeds
from grader.testing import assert_close, call_unmodified, describe_call

KERNELS = st.sampled_from(["linear", "polynomial", "rbf"])
GAMMAS = st.sampled_from([None, 0.1, 0.5, 2.0])
# Float64 dot products of <= 5 terms, raised to a power <= 4: 1e-10 relative is far above rounding.
RTOL, ATOL = 1e-10, 1e-12


def kernel_kwargs(name, gamma, degree, coef0):
    if name == "linear":
        return {}
    if name == "polynomial":
        return {"degree": degree, "gamma": gamma, "coef0": coef0}
    return {"gamma": gamma}


def check_kernel(kata, name, seed, n, m, d, with_y, **kw):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d)) * 2
    Y = rng.normal(size=(m, d)) * 2 if with_y else None
    call = describe_call(f"{name}_kernel", X, Y, **kw)
    got = getattr(kata, f"{name}_kernel")(X, Y, **kw)
    want = getattr(pairwise, f"{name}_kernel")(X, Y, **kw)
    assert_close(got, want, rtol=RTOL, atol=ATOL, name="kernel matrix", call=call)


@given(seed=seeds(), n=st.integers(1, 12), m=st.integers(1, 12), d=st.integers(1, 5), with_y=st.booleans())
@example(seed=0, n=1, m=1, d=1, with_y=False)
def test_linear_kernel_matches_sklearn(kata, seed, n, m, d, with_y):
    check_kernel(kata, "linear", seed, n, m, d, with_y)


@given(seed=seeds(), n=st.integers(1, 12), m=st.integers(1, 12), d=st.integers(1, 5), with_y=st.booleans(),
       gamma=GAMMAS, degree=st.integers(1, 4), coef0=st.sampled_from([0.0, 1.0, 2.5]))
@example(seed=1, n=5, m=3, d=4, with_y=True, gamma=None, degree=3, coef0=1.0)  # sklearn's defaults
def test_polynomial_kernel_matches_sklearn(kata, seed, n, m, d, with_y, gamma, degree, coef0):
    check_kernel(kata, "polynomial", seed, n, m, d, with_y, degree=degree, gamma=gamma, coef0=coef0)


@given(seed=seeds(), n=st.integers(1, 12), m=st.integers(1, 12), d=st.integers(1, 5), with_y=st.booleans(),
       gamma=GAMMAS)
@example(seed=2, n=6, m=2, d=3, with_y=True, gamma=None)  # gamma = 1 / n_features
@example(seed=0, n=1, m=1, d=1, with_y=False, gamma=0.5)
def test_rbf_kernel_matches_sklearn(kata, seed, n, m, d, with_y, gamma):
    check_kernel(kata, "rbf", seed, n, m, d, with_y, gamma=gamma)


@given(seed=seeds(), n=st.integers(1, 15), d=st.integers(1, 4), name=KERNELS, gamma=GAMMAS,
       degree=st.integers(1, 4), n_repeats=st.integers(0, 3))
@example(seed=0, n=6, d=2, name="linear", gamma=None, degree=3, n_repeats=2)
def test_gram_matrices_are_psd(kata, seed, n, d, name, gamma, degree, n_repeats):
    """Mercer kernels give PSD Gram matrices; repeated points make them exactly singular."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, d))
    X = np.vstack([X, X[rng.integers(n, size=n_repeats)]])
    kw = kernel_kwargs(name, gamma, degree, 1.0)
    K = getattr(kata, f"{name}_kernel")(X, **kw)
    call = describe_call(f"{name}_kernel", X, **kw)
    assert_close(K, getattr(pairwise, f"{name}_kernel")(X, **kw), rtol=RTOL, atol=ATOL, name="Gram matrix",
                 call=call)
    K_ref = getattr(pairwise, f"{name}_kernel")(X, **kw)
    verdict = call_unmodified(kata.is_psd, K_ref)
    assert verdict, (
        f"is_psd({name}_kernel(X)) returned {verdict!r} for a Gram matrix (smallest eigenvalue "
        f"{np.linalg.eigvalsh(K_ref).min():.3g}, i.e. zero up to rounding): use a tolerance")


@given(seed=seeds(), n=st.integers(2, 10), neg=st.sampled_from([1e-6, 1e-3, 0.1, 1.0]),
       top=st.sampled_from([1.0, 10.0, 100.0]))
@example(seed=0, n=2, neg=1e-6, top=100.0)
def test_is_psd_rejects_a_negative_eigenvalue(kata, seed, n, neg, top):
    """Q diag(λ) Q^T with λ_min = -neg: not PSD, even when -neg is small next to the top eigenvalue."""
    rng = np.random.default_rng(seed)
    Q, _ = np.linalg.qr(rng.normal(size=(n, n)))
    lam = np.r_[-neg, rng.uniform(0, top, size=n - 2), top]
    K = (Q * lam) @ Q.T
    K = (K + K.T) / 2
    call = describe_call("is_psd", K)
    assert not kata.is_psd(K), f"{call} returned True, but the smallest eigenvalue is {-neg:g}"
    # tol is the caller's: a tolerance above neg / top accepts the same matrix, one below it still rejects it
    loose, strict = 10 * neg / top, 0.1 * neg / top
    assert kata.is_psd(K, tol=loose), (f"{call.replace(')', f', tol={loose:g})')} returned False: with that tol an "
                                       f"eigenvalue of {-neg:g} next to a largest of {top:g} is within rounding")
    assert not kata.is_psd(K, tol=strict), f"{call.replace(')', f', tol={strict:g})')} returned True"
    shifted = K + neg * np.eye(n)  # now the smallest eigenvalue is 0 (up to rounding)
    assert kata.is_psd(shifted), (f"{call.replace('K', 'K + neg * I')} returned False for a PSD matrix with "
                                  f"eigenvalues {np.linalg.eigvalsh(shifted).round(12).tolist()}")


@given(seed=seeds(), n=st.integers(2, 8), skew=st.sampled_from([1e-3, 0.1, 1.0]))
@example(seed=0, n=2, skew=0.1)
def test_is_psd_rejects_non_symmetric_matrices(kata, seed, n, skew):
    """A PSD matrix plus an antisymmetric part: x^T K x >= 0 still, but K is no Gram matrix."""
    rng = np.random.default_rng(seed)
    A = rng.normal(size=(n, n))
    S = rng.normal(size=(n, n))
    K = A @ A.T + np.eye(n) + skew * (S - S.T)
    call = describe_call("is_psd", K)
    assert not kata.is_psd(K), f"{call} returned True for a matrix that is not symmetric (max |K - K^T| = " \
                               f"{np.abs(K - K.T).max():.3g})"


IS_PSD_CASES = [  # (K, tol, verdict, why): exact binary fractions, so every comparison is exact
    (np.diag([-0.25, 0.5]), 0.25, True, "smallest eigenvalue exactly -tol * max(1, 0.5): on the boundary, accepted"),
    (np.diag([-0.1875, 0.5]), 0.25, True, "eigenvalues -0.1875, 0.5 (of K itself, not of K + K^T): within -tol"),
    (np.diag([-0.3, 0.5]), 0.25, False, "smallest eigenvalue -0.3 < -tol * max(1, 0.5) = -0.25"),
    (np.array([[1.0, 0.0], [0.25, 1.0]]), 0.25, True, "max |K - K^T| = 0.25 = tol * max(1, max |K|): symmetric enough"),
    (np.array([[1e6, 1e-6], [0.0, 1.0]]), 1e-10, True, "max |K - K^T| = 1e-6 <= tol * max |K| = 1e-4 (the scale is the "
                                                       "LARGEST |K_ij|)"),
    (np.ones((2, 3)), 1e-10, False, "not square"),
    (np.ones((1, 3)), 1e-10, False, "not square"),
    (np.ones((3, 1)), 1e-10, False, "not square"),
    (np.ones(3), 1e-10, False, "not 2-D"),
]


def test_is_psd_tolerances_at_their_boundaries(kata):
    for K, tol, verdict, why in IS_PSD_CASES:
        call = describe_call("is_psd", K, tol=tol)
        got = call_unmodified(kata.is_psd, K, tol=tol)
        assert bool(got) is verdict, f"{call} returned {got!r}, expected {verdict}: {why}\n  K = {K.tolist()}"


@given(seed=seeds(), n=st.integers(1, 10), m=st.integers(1, 10), d=st.integers(1, 5),
       gamma=st.sampled_from([0.1, 0.5, 1.0, 3.0]), coef0=st.sampled_from([0.0, 0.5, 1.0, 4.0]))
@example(seed=0, n=1, m=1, d=1, gamma=1.0, coef0=1.0)
@example(seed=1, n=4, m=3, d=3, gamma=0.5, coef0=0.0)
def test_poly2_feature_map_reproduces_the_kernel(kata, seed, n, m, d, gamma, coef0):
    rng = np.random.default_rng(seed)
    X, Y = rng.normal(size=(n, d)), rng.normal(size=(m, d))
    call = describe_call("poly2_feature_map", X, gamma=gamma, coef0=coef0)
    phi_x = np.asarray(kata.poly2_feature_map(X, gamma=gamma, coef0=coef0), dtype=np.float64)
    phi_y = np.asarray(kata.poly2_feature_map(Y, gamma=gamma, coef0=coef0), dtype=np.float64)
    D = (d + 1) * (d + 2) // 2
    assert phi_x.shape == (n, D), f"{call} returned shape {phi_x.shape}, expected ({n}, {D}) = (n, (d+1)(d+2)/2)"
    want = pairwise.polynomial_kernel(X, Y, degree=2, gamma=gamma, coef0=coef0)
    assert_close(phi_x @ phi_y.T, want, rtol=1e-9, atol=1e-10,
                 name="phi(X) @ phi(Y).T (should equal polynomial_kernel(X, Y, degree=2))", call=call)
