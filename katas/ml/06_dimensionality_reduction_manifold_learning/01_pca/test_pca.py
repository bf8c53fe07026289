"""Tests for ml-06-1, PCA via SVD and via eigendecomposition.

Reference: sklearn.decomposition.PCA(svd_solver="full") fitted on the same data. Principal axes are
only defined up to sign, so each of your components is first flipped to agree with sklearn's, and
the same flips are applied to the projected coordinates. Data are drawn with well-separated
variances (and checked for an eigenvalue gap) so that the axes are well defined.
"""
import numpy as np
import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st
from sklearn.datasets import load_breast_cancer, load_iris, load_wine
from sklearn.decomposition import PCA as SkPCA

from grader.strategies import seeds
from grader.testing import assert_close, assert_shape, call_unmodified, describe_call

METHODS = st.sampled_from(["svd", "eigh"])
# Everything is float64 on data of magnitude <= ~50; an eigenvector with a relative eigen-gap
# >= 1e-2 is determined to ~1e-13, and eigh of X^T X loses about half the digits of the smallest
# variances, hence the relative 1e-7 on variances and the 1e-6 absolute on unit-length axes.
RTOL, ATOL = 1e-7, 1e-6


def make_data(seed: int, n: int, d: int) -> np.ndarray:
    """n points in d dims with variances spread over two orders of magnitude, randomly rotated."""
    rng = np.random.default_rng(seed)
    scales = np.geomspace(5.0, 0.5, d) * rng.uniform(0.8, 1.25, size=d)
    q, _ = np.linalg.qr(rng.normal(size=(d, d)))
    return (rng.normal(size=(n, d)) * scales) @ q.T + rng.uniform(-10, 10, size=d)


def relative_gaps(X: np.ndarray, k: int) -> float:
    """Smallest relative gap between the variances that decide the first k axes."""
    var = np.linalg.svd(X - X.mean(0), compute_uv=False) ** 2
    top = var[: min(k + 1, len(var))]
    if len(top) < 2:
        return np.inf
    return float(np.min(-np.diff(top) / top[:-1]))


def align_signs(got: np.ndarray, want: np.ndarray) -> np.ndarray:
    """+1/-1 per row that makes each of `got`'s rows agree in sign with `want`'s."""
    s = np.sign(np.sum(got * want, axis=1))
    s[s == 0] = 1.0
    return s


def check_against_sklearn(kata, X: np.ndarray, k: int, method: str, X_new: np.ndarray) -> None:
    call = describe_call(f"PCA({k}, method={method!r}).fit", X)
    pca = kata.PCA(k, method=method)
    assert call_unmodified(pca.fit, X) is pca, f"{call} must return self"
    ref = SkPCA(n_components=k, svd_solver="full").fit(X)
    d = X.shape[1]
    assert_close(pca.mean_, ref.mean_, rtol=RTOL, atol=ATOL, name="mean_", call=call)
    assert_shape(pca.components_, (k, d), name="components_ (rows are axes)", call=call)
    signs = align_signs(np.asarray(pca.components_), ref.components_)
    assert_close(pca.components_ * signs[:, None], ref.components_, rtol=RTOL, atol=ATOL,
                 name="components_ (after flipping each row's sign to match sklearn)", call=call)
    assert_close(pca.explained_variance_, ref.explained_variance_, rtol=RTOL, atol=ATOL,
                 name="explained_variance_ (unbiased, 1/(n-1))", call=call)
    assert_close(pca.explained_variance_ratio_, ref.explained_variance_ratio_, rtol=RTOL, atol=ATOL,
                 name="explained_variance_ratio_ (over the TOTAL variance)", call=call)
    assert_close(pca.singular_values_, ref.singular_values_, rtol=RTOL, atol=ATOL, name="singular_values_",
                 call=call)
    for data, label in ((X, "X (training data)"), (X_new, "new points")):
        tcall = describe_call(f"PCA({k}, method={method!r}).transform", data) + f" on {label}"
        assert_close(pca.transform(data) * signs[None, :], ref.transform(data), rtol=RTOL, atol=1e-5,
                     name="projection (signs matched to sklearn's axes)", call=tcall)


@given(seed=seeds(), n=st.integers(3, 40), d=st.integers(1, 6), k_frac=st.floats(0.0, 1.0), method=METHODS)
@example(seed=0, n=3, d=1, k_frac=1.0, method="svd")  # one feature: the axis is +-1
@example(seed=1, n=40, d=6, k_frac=1.0, method="eigh")  # all components
@example(seed=2, n=8, d=6, k_frac=0.0, method="eigh")  # only the first axis
def test_matches_sklearn(kata, seed, n, d, k_frac, method):
    n = max(n, d + 2)  # centred data of full rank d
    k = 1 + round(k_frac * (d - 1))
    X = make_data(seed, n, d)
    assume(relative_gaps(X, k) > 1e-2)
    check_against_sklearn(kata, X, k, method, make_data(seed + 1, 5, d))


@given(name=st.sampled_from(["iris", "wine", "breast_cancer"]), k=st.integers(1, 4), method=METHODS)
@example(name="iris", k=4, method="eigh")
def test_bundled_datasets_match_sklearn(kata, name, k, method):
    loader = {"iris": load_iris, "wine": load_wine, "breast_cancer": load_breast_cancer}[name]
    X = loader().data.astype(np.float64)
    assume(relative_gaps(X, k) > 1e-2)
    rng = np.random.default_rng(k)
    X_new = X[rng.choice(len(X), 5)] + rng.normal(size=(5, X.shape[1])) * X.std(0)
    check_against_sklearn(kata, X, k, method, X_new)


@given(seed=seeds(), n=st.integers(8, 40), d=st.integers(2, 6), k_frac=st.floats(0.0, 1.0), method=METHODS)
@example(seed=3, n=10, d=4, k_frac=1.0, method="svd")  # k = d: reconstruction is exact
def test_reconstruction_error_is_the_discarded_variance(kata, seed, n, d, k_frac, method):
    """||X - inverse_transform(transform(X))||^2 = (n-1) * (sum of the d-k discarded eigenvalues)."""
    k = 1 + round(k_frac * (d - 1))
    X = make_data(seed, n, d)
    assume(relative_gaps(X, k) > 1e-2)
    pca = call_unmodified(kata.PCA(k, method=method).fit, X)
    call = describe_call(f"PCA({k}, method={method!r}).inverse_transform(transform(X))", X)
    Xhat = pca.inverse_transform(pca.transform(X))
    assert_shape(Xhat, X.shape, name="reconstruction", call=call)
    var = np.linalg.eigvalsh(np.cov(X, rowvar=False))[::-1]
    want = (n - 1) * var[k:].sum()
    got = float(np.sum((X - np.asarray(Xhat)) ** 2))
    # Sums of squares of size ~1e3: 1e-8 relative (+1e-8 for k = d, where the error is ~0).
    assert_close(got, want, rtol=1e-6, atol=1e-7 * float(np.sum((X - X.mean(0)) ** 2)),
                 name="squared reconstruction error", call=call)


@given(n=st.integers(2, 10), d=st.integers(1, 5), extra=st.integers(1, 3))
def test_rejects_bad_arguments(kata, n, d, extra):
    X = make_data(0, n, d)
    for k, method in ((0, "svd"), (min(n, d) + extra, "svd"), (1, "qr")):
        with pytest.raises(ValueError):
            kata.PCA(k, method=method).fit(X)
