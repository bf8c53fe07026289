"""Tests for ml-06-4, Laplacian eigenmaps.

References: sklearn.neighbors.kneighbors_graph for the k-NN graph, and
sklearn.manifold.SpectralEmbedding(affinity="precomputed") for the embedding (eigenvectors are
defined up to sign, so each of your columns is flipped to agree with sklearn's first); plus the
generalised eigen-equation L y = lambda D y, D-orthonormality and orthogonality to the constant
vector, checked directly. Graphs are connected and eigenvalues separated by construction/assume.
"""
import warnings

import numpy as np
import pytest
import scipy.linalg
from hypothesis import assume, example, given
from hypothesis import strategies as st
from scipy.sparse.csgraph import connected_components
from sklearn.manifold import SpectralEmbedding
from sklearn.neighbors import kneighbors_graph

from grader.strategies import seeds
from grader.testing import assert_close, assert_shape, call_unmodified, describe_call

GRAPHS = st.sampled_from(["dense", "knn"])


def make_points(seed: int, n: int, d: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.normal(size=(n, d)) * rng.uniform(0.5, 3.0, size=d)


def sq_dists(X: np.ndarray) -> np.ndarray:
    diff = X[:, None, :] - X[None, :, :]
    return np.einsum("ijk,ijk->ij", diff, diff)


def knn_gap(X: np.ndarray, k: int) -> float:
    """Smallest gap between the k-th and (k+1)-th nearest distances: no tie decides a neighbour."""
    D = np.sort(sq_dists(X), axis=1)[:, 1:]  # drop the point itself
    return float(np.min(D[:, k] - D[:, k - 1])) if k < D.shape[1] else np.inf


def reference_knn_heat(X: np.ndarray, k: int, t: float) -> np.ndarray:
    A = kneighbors_graph(X, k, mode="connectivity", include_self=False).toarray() > 0
    A |= A.T
    return np.where(A, np.exp(-sq_dists(X) / t), 0.0)


def make_affinity(seed: int, n: int, d: int, kind: str, width: float, k: int = 5) -> np.ndarray:
    X = make_points(seed, n, d)
    D2 = sq_dists(X)
    t = width * float(np.median(D2[D2 > 0]))
    if kind == "dense":
        return np.exp(-D2 / t)  # diagonal 1: self-loops that must be ignored
    return reference_knn_heat(X, min(k, n - 1), t)


def generalised_eigs(W: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    W = W.copy()
    np.fill_diagonal(W, 0.0)
    deg = W.sum(1)
    L = np.diag(deg) - W
    evals = scipy.linalg.eigh(L, np.diag(deg), eigvals_only=True)
    return evals, L, deg


def well_posed(W: np.ndarray, k: int) -> bool:
    """Connected graph, and eigenvalues 1..k+1 separated, so the k eigenvectors are defined up to sign."""
    A = W.copy()
    np.fill_diagonal(A, 0.0)
    if connected_components(A > 0, directed=False)[0] != 1:
        return False
    evals, _, _ = generalised_eigs(W)
    lam = evals[1 : k + 2]
    return bool(lam[0] > 1e-8 and (len(lam) < 2 or np.min(np.diff(lam)) > 1e-3 * lam[-1]))


@given(seed=seeds(), n=st.integers(4, 40), d=st.integers(1, 3), k=st.integers(1, 8), width=st.floats(0.25, 4.0))
@example(seed=0, n=4, d=1, k=1, width=1.0)
@example(seed=1, n=30, d=2, k=3, width=0.5)
def test_knn_heat_kernel_matches_sklearn_graph(kata, seed, n, d, k, width):
    k = min(k, n - 1)
    X = make_points(seed, n, d)
    assume(knn_gap(X, k) > 1e-9)
    D2 = sq_dists(X)
    t = width * float(np.median(D2[D2 > 0]))
    call = describe_call("knn_heat_kernel", X, k, t)
    W = call_unmodified(kata.knn_heat_kernel, X, k, t)
    assert_shape(W, (n, n), call=call)
    want = reference_knn_heat(X, k, t)
    # exp of float64 squared distances: identical up to a few ulps.
    assert_close(W, want, rtol=1e-12, atol=0, name="affinity (k-NN graph, OR-symmetrised, heat kernel)", call=call)


def check_against_sklearn(kata, W: np.ndarray, k: int) -> None:
    call = describe_call(f"LaplacianEigenmaps({k}).fit", W)
    model = kata.LaplacianEigenmaps(k)
    assert call_unmodified(model.fit, W) is model, f"{call} must return self"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        ref = SpectralEmbedding(n_components=k, affinity="precomputed", random_state=0).fit_transform(W)
    got = np.asarray(model.embedding_, dtype=np.float64)
    assert_shape(got, ref.shape, name="embedding_", call=call)
    signs = np.sign(np.sum(got * ref, axis=0))
    signs[signs == 0] = 1.0
    # ARPACK (sklearn) and a dense solver agree to ~1e-10 relative on separated eigenvalues.
    scale = float(np.max(np.abs(ref)))
    assert_close(got * signs, ref, rtol=0, atol=1e-6 * scale,
                 name="embedding_ (columns sign-matched to sklearn's SpectralEmbedding)", call=call)


@given(seed=seeds(), n=st.integers(6, 40), d=st.integers(1, 3), k=st.integers(1, 3), kind=GRAPHS,
       width=st.floats(0.25, 4.0))
@example(seed=2, n=6, d=1, k=1, kind="dense", width=1.0)
@example(seed=3, n=40, d=3, k=3, kind="knn", width=1.0)
def test_embedding_matches_sklearn_spectral_embedding(kata, seed, n, d, k, kind, width):
    W = make_affinity(seed, n, d, kind, width)
    assume(well_posed(W, k))
    check_against_sklearn(kata, W, k)


@given(seed=seeds(), n=st.integers(6, 40), d=st.integers(1, 3), k=st.integers(1, 4), kind=GRAPHS,
       width=st.floats(0.25, 4.0))
@example(seed=4, n=10, d=2, k=4, kind="dense", width=0.5)
def test_solves_the_generalised_eigenproblem(kata, seed, n, d, k, kind, width):
    W = make_affinity(seed, n, d, kind, width)
    assume(well_posed(W, k))
    evals, L, deg = generalised_eigs(W)
    call = describe_call(f"LaplacianEigenmaps({k}).fit", W)
    model = call_unmodified(kata.LaplacianEigenmaps(k).fit, W)
    Y = np.asarray(model.embedding_, dtype=np.float64)
    lam = np.asarray(model.eigenvalues_, dtype=np.float64)
    assert_shape(Y, (n, k), name="embedding_", call=call)
    # Eigenvalues lie in [0, 2]; float64 solvers agree to ~1e-14.
    assert_close(lam, evals[1 : k + 1], rtol=0, atol=1e-9,
                 name="eigenvalues_ (the k smallest after the trivial 0, ascending)", call=call)
    scale = float(np.max(np.abs(Y))) * float(deg.max())
    assert_close(L @ Y, deg[:, None] * Y * lam[None, :], rtol=0, atol=1e-8 * scale,
                 name="L @ Y (should equal D @ Y @ diag(eigenvalues_))", call=call)
    assert_close(Y.T @ (deg[:, None] * Y), np.eye(k), rtol=0, atol=1e-8, name="Y^T D Y (should be I)", call=call)
    assert_close(Y.T @ deg, np.zeros(k), rtol=0, atol=1e-8 * float(deg.sum()),
                 name="Y^T D 1 (orthogonal to the constant vector)", call=call)
    again = kata.LaplacianEigenmaps(k).fit_transform(W.copy())
    assert_close(np.abs(np.asarray(again)), np.abs(Y), rtol=0, atol=1e-8 * float(np.max(np.abs(Y))),
                 name="fit_transform(W) (should be fit(W).embedding_)", call=call)


@given(n=st.integers(3, 10), extra=st.integers(0, 2))
def test_rejects_bad_arguments(kata, n, extra):
    W = make_affinity(0, n, 2, "dense", 1.0)
    with pytest.raises(ValueError):
        kata.LaplacianEigenmaps(n + extra).fit(W)
    with pytest.raises(ValueError):
        kata.LaplacianEigenmaps(0).fit(W)
    with pytest.raises(ValueError):
        kata.knn_heat_kernel(make_points(0, n, 2), n + extra, 1.0)
    with pytest.raises(ValueError):
        kata.knn_heat_kernel(make_points(0, n, 2), 0, 1.0)
        raise AssertionError("knn_heat_kernel(X, n_neighbors=0, t=1.0) returned: 1 <= n_neighbors < n is required")
